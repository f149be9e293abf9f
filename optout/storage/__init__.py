"""What optout keeps: keyring entries, encrypted sessions, the history, locks, private files."""
