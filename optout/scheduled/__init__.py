"""The periodic check: the run the OS scheduler starts, notices, and the scheduler backends."""
