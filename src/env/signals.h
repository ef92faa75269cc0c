// Signals as calls, not handlers: SignalWatcher blocks SIGTERM, SIGINT and
// SIGHUP in the thread that creates it (and so in every thread created
// after it) and takes them with sigwait(2) on a thread of its own, where
// any code may run. Create it before starting other threads. Restores the
// signal mask when destroyed.
#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace zb {

class SignalWatcher {
 public:
  struct Handlers {
    std::function<void(int signal, int count)> on_stop;  // SIGTERM, SIGINT; count from 1
    std::function<void()> on_reload;                     // SIGHUP (ignored if unset)
  };
  explicit SignalWatcher(Handlers handlers);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  Handlers handlers_;
  sigset_t old_mask_;
  std::atomic<bool> closing_{false};
  std::thread thread_;
};

// Ends the process as `sig` would, at once (default action, unblocked):
// what a second SIGTERM/SIGINT does. Callable from a watcher's handler,
// where the signal is blocked (a plain raise() would only queue it there).
[[noreturn]] void DieOfSignal(int sig);

// Asks the kernel for SIGTERM when the parent process exits (so the
// daemon started by the container entrypoint ends with the controller).
// False if the parent is already gone, i.e. we were re-parented.
bool StopWhenParentExits(int parent_pid_at_start);

}  // namespace zb
