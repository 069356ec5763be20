// SweepWire: wire messages and the coordinator/worker state machines. See issue #4.
