// The upload loop of the object stores' large objects (S3's multipart
// parts, Azure's staged blocks): the source is read once, in chunks, on the
// calling thread, and up to `parallel` chunks are sent at once on worker
// threads while the next one is read (and compressed, encrypted) into a
// free buffer. One connection rarely fills a link to an object store (a
// request's latency and the server's per-request work leave it idle), so a
// few in flight are what makes an upload as fast as the service allows.
// Memory is `parallel + 1` chunks whatever the object's size. Chunks grow
// (doubling every `grow_every`, at most `max_doublings` times) so that a
// service's chunk-count limit never caps an object.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/stream.h"

namespace zb::store {

// Fills `buf` from `src` until it is full or the source ends; the count.
Result<size_t> ReadFull(ByteSource& src, std::vector<std::byte>& buf);

struct ChunkPlan {
  size_t size = 0;        // the first chunks' size
  int grow_every = 1000;  // chunks before each doubling
  int max_doublings = 9;
  int max_chunks = 10000;
  int parallel = 4;            // chunks sent at once (at least 1)
  std::string noun = "parts";  // in the error past max_chunks
};

// Sends `first` (a full chunk already read) as chunk 1, then the rest of
// `data`, through `send(number, chunk)` (1-based numbers), until the source
// ends; `send` may run on several threads at once and returns what the
// service says of the chunk (an ETag, a block id). Returns those, in chunk
// order. The first error stops it (no chunk is started once its send has
// returned it, and the ones in flight are waited for): `send`'s (the first in chunk order, even
// when the source failed after it), the source's, or "<what>: more than N
// parts".
Result<std::vector<std::string>> SendInChunks(
    ByteSource& data, std::vector<std::byte>& first, const ChunkPlan& plan, const std::string& what,
    const std::function<Result<std::string>(int, ByteSpan)>& send);

}  // namespace zb::store
