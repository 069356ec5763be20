// SweepStore: the durable SQLite store. See issue #4.
