from optout.cli import entry_point

entry_point()
