#ifndef CROSSREC_CLINEARALGEBRA_SHIM_H
#define CROSSREC_CLINEARALGEBRA_SHIM_H
// Debian: apt-get install -y libopenblas-dev liblapacke-dev (pkg-config: openblas, lapacke).
#include <cblas.h>
#include <lapacke.h>
#endif
