// Sweep: sweep files, search spaces, trial identity, leaderboards. See issue #4.
