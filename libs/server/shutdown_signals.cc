#include "libs/server/shutdown_signals.h"

#include <signal.h>
#include <unistd.h>

namespace gongkai::server {

ShutdownSignals::ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int ShutdownSignals::Wait() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  while (true) {
    int signal = 0;
    if (sigwait(&set, &signal) == 0) return signal;
  }
}

void ShutdownSignals::Request() { kill(getpid(), SIGTERM); }

}  // namespace gongkai::server
