"""One module per command: what the command does, between parsing and output."""
