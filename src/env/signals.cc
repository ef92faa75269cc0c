#include "env/signals.h"

#include <pthread.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace zb {
namespace {

// SIGUSR2 only wakes the watcher when it is being destroyed.
sigset_t WatchedSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGUSR2}) sigaddset(&set, sig);
  return set;
}

}  // namespace

SignalWatcher::SignalWatcher(Handlers handlers) : handlers_(std::move(handlers)) {
  const sigset_t set = WatchedSignals();
  pthread_sigmask(SIG_BLOCK, &set, &old_mask_);
  thread_ = std::thread([this, set] {
    int stops = 0;
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (closing_) return;
      if (sig == SIGHUP) {
        if (handlers_.on_reload) handlers_.on_reload();
      } else if (sig == SIGTERM || sig == SIGINT) {
        if (handlers_.on_stop) handlers_.on_stop(sig, ++stops);
      }
    }
  });
}

SignalWatcher::~SignalWatcher() {
  closing_ = true;
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

void DieOfSignal(int sig) {
  ::signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  ::raise(sig);
  ::_exit(128 + sig);  // not reached: the default action of SIGTERM/SIGINT ends the process
}

bool StopWhenParentExits(int parent_pid_at_start) {
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  return ::getppid() == parent_pid_at_start;
}

}  // namespace zb
