// Linked only into the ZB_STATIC release binary, whose static libstdc++
// and libgcc were built on glibc 2.36 and call two functions the
// controller image's glibc 2.34 does not have. Defined here, the binary
// needs no glibc symbol newer than 2.34 (tests/portable/check.sh).
//   _dl_find_object (2.35): libgcc_eh finds unwind tables with it. This
//     answers the same question the way libgcc did before 2.35, with
//     dl_iterate_phdr (2.2.5): which loaded object holds `pc`, and where
//     its PT_GNU_EH_FRAME is. Exceptions are rare here; the walk is cheap
//     enough.
//   arc4random (2.36): libstdc++'s random_device (pulled in by its string
//     internals, never called by us) refers to it. getrandom(2) (2.25)
//     gives the same.
#include <dlfcn.h>
#include <link.h>
#include <sys/random.h>

#include <cstdint>

namespace {

struct Query {
  uintptr_t pc;
  dl_find_object* out;
  bool found;
};

int Visit(dl_phdr_info* info, size_t, void* data) {
  auto* q = static_cast<Query*>(data);
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  bool holds = false;
  const void* eh_frame = nullptr;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    const uintptr_t start = info->dlpi_addr + ph.p_vaddr;
    if (ph.p_type == PT_LOAD) {
      if (start < lo) lo = start;
      if (start + ph.p_memsz > hi) hi = start + ph.p_memsz;
      if (q->pc >= start && q->pc < start + ph.p_memsz) holds = true;
    } else if (ph.p_type == PT_GNU_EH_FRAME) {
      eh_frame = reinterpret_cast<const void*>(start);
    }
  }
  if (!holds) return 0;
  q->out->dlfo_flags = 0;
  q->out->dlfo_map_start = reinterpret_cast<void*>(lo);
  q->out->dlfo_map_end = reinterpret_cast<void*>(hi);
  q->out->dlfo_link_map = nullptr;
  q->out->dlfo_eh_frame = const_cast<void*>(eh_frame);
  q->found = true;
  return 1;
}

}  // namespace

extern "C" int _dl_find_object(void* pc, dl_find_object* result) {
  Query q{reinterpret_cast<uintptr_t>(pc), result, false};
  dl_iterate_phdr(Visit, &q);
  return q.found ? 0 : -1;
}

extern "C" uint32_t arc4random(void) {
  uint32_t v = 0;
  while (getrandom(&v, sizeof v, 0) != static_cast<ssize_t>(sizeof v)) {
  }
  return v;
}
