"""The browser: found, started lean and quiet, a context per account, several accounts
side by side."""
