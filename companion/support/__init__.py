"""Help for whoever looks after a shop PC: the app's log file, uncaught errors, the problem
report. No Qt here (the UI adds its dialogs on top)."""
