"""Driving LinkedIn in a browser: start it, sign in, read and switch the settings page,
the objection form, the account run."""
