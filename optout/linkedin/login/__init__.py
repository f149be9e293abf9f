"""Signing in to LinkedIn: whichever form shows, its checkpoints, and `optout login`'s
sign-in that stores the secrets and the session."""
