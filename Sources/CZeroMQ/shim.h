#ifndef CROSSREC_CZEROMQ_SHIM_H
#define CROSSREC_CZEROMQ_SHIM_H
// Debian: apt-get install -y libzmq3-dev (pkg-config name: libzmq).
#include <zmq.h>
#endif
