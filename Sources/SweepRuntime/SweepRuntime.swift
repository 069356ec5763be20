// SweepRuntime: the coordinator and worker loops over ZeroMQ. See issue #4.
