// RecEval: metrics (each with its formula) and evaluation protocols. See issue #3.
