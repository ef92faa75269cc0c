#include "store/chunked_upload.h"

#include <algorithm>
#include <future>

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

Status SendInChunks(ByteSource& data, std::vector<std::byte>& first, const ChunkPlan& plan,
                    const std::string& what, const std::function<Status(int, ByteSpan)>& send) {
  std::vector<std::byte> next;
  std::vector<std::byte>* current = &first;
  size_t current_size = first.size();
  for (int number = 1;; ++number) {
    if (number > plan.max_chunks) {
      return Status::IOError(what + ": more than " + std::to_string(plan.max_chunks) + " " +
                             plan.noun);
    }
    auto sending =
        std::async(std::launch::async, send, number, ByteSpan(current->data(), current_size));
    std::vector<std::byte>& other = current == &first ? next : first;
    other.resize(plan.size << std::min(number / plan.grow_every, plan.max_doublings));
    Result<size_t> got = ReadFull(data, other);
    ZB_RETURN_IF_ERROR(sending.get());
    ZB_RETURN_IF_ERROR(got.status());
    if (*got == 0) return Status::OK();
    current = &other;
    current_size = *got;
  }
}

}  // namespace zb::store
