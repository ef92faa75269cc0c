// The upload loop of the object stores' large objects (S3's multipart
// parts, Azure's staged blocks): the source is read once, in chunks, and
// each chunk is sent on a worker thread while the next one is read (and
// compressed, encrypted) into the other buffer, so memory is two chunks
// whatever the object's size. Chunks grow (doubling every `grow_every`,
// at most `max_doublings` times) so that a service's chunk-count limit
// never caps an object. Not thread-safe; `send` runs on one worker at a
// time, never two at once.
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
  std::string noun = "parts";  // in the error past max_chunks
};

// Sends `first` (a full chunk already read) as chunk 1, then the rest of
// `data`, through `send(number, chunk)` (1-based numbers), until the source
// ends. The first error stops it: `send`'s, the source's, or "<what>: more
// than N parts".
Status SendInChunks(ByteSource& data, std::vector<std::byte>& first, const ChunkPlan& plan,
                    const std::string& what, const std::function<Status(int, ByteSpan)>& send);

}  // namespace zb::store
