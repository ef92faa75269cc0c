#include "store/chunked_upload.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <future>
#include <system_error>

namespace zb::store {

Result<size_t> ReadFull(ByteSource& src, std::vector<std::byte>& buf) {
  size_t n = 0;
  while (n < buf.size()) {
    ZB_ASSIGN_OR_RETURN(size_t got, src.Read(MutableByteSpan(buf.data() + n, buf.size() - n)));
    if (got == 0) break;
    n += got;
  }
  return n;
}

namespace {

struct InFlight {
  std::future<Result<std::string>> result;
  std::vector<std::byte>* buffer;
};

}  // namespace

Result<std::vector<std::string>> SendInChunks(
    ByteSource& data, std::vector<std::byte>& first, const ChunkPlan& plan, const std::string& what,
    const std::function<Result<std::string>(int, ByteSpan)>& send) {
  const size_t parallel = static_cast<size_t>(std::max(plan.parallel, 1));
  // `first` is the caller's; the others are ours. A buffer is free when no
  // send holds it.
  std::vector<std::vector<std::byte>> own(parallel);
  std::vector<std::vector<std::byte>*> free;
  for (auto& b : own) free.push_back(&b);
  // Set by the first send that fails, whichever it is, so that no chunk is
  // started after it even while an older one is still in flight. (Declared
  // before the futures, which may still be setting it while they unwind.)
  std::atomic<bool> a_send_failed{false};
  std::deque<InFlight> in_flight;
  std::vector<std::string> tokens;
  Status failed;       // the loop's own: the source's, too many chunks
  Status send_failed;  // the first send's in chunk order: it says more
                       // (a refused key) than what went wrong after it
  auto launch = [&](int number, ByteSpan chunk) -> std::future<Result<std::string>> {
    try {
      return std::async(std::launch::async, [&, number, chunk] {
        Result<std::string> r = send(number, chunk);
        if (!r.ok()) a_send_failed = true;
        return r;
      });
    } catch (const std::system_error& e) {
      // No thread to be had (a container's pids limit): an error, not an abort.
      a_send_failed = true;
      std::promise<Result<std::string>> refused;
      refused.set_value(Status::IOError(what + ": cannot start a thread: " + e.what()));
      return refused.get_future();
    }
  };
  // Waits for the oldest send: chunks finish in any order, but collecting
  // them in order keeps `tokens` in chunk order.
  auto collect = [&] {
    InFlight f = std::move(in_flight.front());
    in_flight.pop_front();
    Result<std::string> r = f.result.get();
    if (r.ok()) {
      tokens.push_back(std::move(*r));
    } else if (send_failed.ok()) {
      send_failed = r.status();
    }
    free.push_back(f.buffer);
  };

  std::vector<std::byte>* current = &first;
  size_t current_size = first.size();
  for (int number = 1;; ++number) {
    if (number > plan.max_chunks) {
      failed = Status::IOError(what + ": more than " + std::to_string(plan.max_chunks) + " " +
                               plan.noun);
      break;
    }
    if (in_flight.size() == parallel) collect();
    if (a_send_failed) break;  // set by every failed send, before `collect` sees it
    in_flight.push_back({launch(number, ByteSpan(current->data(), current_size)), current});
    // At most `parallel` sends hold buffers, so one of the parallel + 1 is free.
    std::vector<std::byte>* next = free.back();
    free.pop_back();
    next->resize(plan.size << std::min(number / plan.grow_every, plan.max_doublings));
    Result<size_t> got = ReadFull(data, *next);
    if (!got.ok()) {
      failed = got.status();
      break;
    }
    if (*got == 0) break;
    current = next;
    current_size = *got;
  }
  while (!in_flight.empty()) collect();
  if (!send_failed.ok()) return send_failed;
  if (!failed.ok()) return failed;
  return tokens;
}

}  // namespace zb::store
