#include "store/mem_backend.h"

#include "testutil/backend_conformance.h"

namespace zb::testing {
namespace {

struct MemFactory {
  static std::unique_ptr<store::Backend> Make(BackendTestContext& ctx) {
    return std::make_unique<store::MemBackend>(ctx.clock);
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Mem, BackendConformanceTest, ::testing::Types<MemFactory>);

}  // namespace
}  // namespace zb::testing
