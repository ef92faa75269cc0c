// The lease that locks an azblob:// target (the rules are object_lease.h's):
// conditional Put Blob and Delete Blob on "<prefix>/.ziti-backup.lease".
// Not Azure's own blob leases: those last at most 60 s unless infinite, and
// an infinite one left by a killed run would need an operator to break it;
// this way both object stores behave the same.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "store/azure_requests.h"
#include "store/object_lease.h"

namespace zb::store {

// TakeLease on the target of `requests`, which must outlive the returned
// lock.
Result<std::unique_ptr<TargetLock>> TakeAzureLease(AzureRequests& requests,
                                                   const std::string& owner,
                                                   std::chrono::seconds ttl,
                                                   std::function<void()> on_lost);

}  // namespace zb::store
