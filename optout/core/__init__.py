"""What every part shares: errors and exit codes, results, settings and paths, the
selector pack, the scrubber."""
