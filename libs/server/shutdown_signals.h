// SIGTERM/SIGINT handling for a process's main(), in a library of its own
// (gongkai_process) so a binary that hosts no gRPC server, like the gateway,
// links neither the server nor gRPC's reflection service (issue 14, P4).
#ifndef GONGKAI_LIBS_SERVER_SHUTDOWN_SIGNALS_H_
#define GONGKAI_LIBS_SERVER_SHUTDOWN_SIGNALS_H_

namespace gongkai::server {

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts later, so
// Wait() can receive them synchronously. Construct it first in main().
class ShutdownSignals {
 public:
  ShutdownSignals();
  // Blocks until SIGTERM or SIGINT arrives; returns the signal number.
  int Wait();
  // Wakes Wait() from any thread by sending SIGTERM to this process (a background task
  // that hit a fatal error asks main() to shut down cleanly this way).
  static void Request();
};

}  // namespace gongkai::server

#endif  // GONGKAI_LIBS_SERVER_SHUTDOWN_SIGNALS_H_
