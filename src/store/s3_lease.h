// The lease that locks an s3:// target (the rules are object_lease.h's):
// S3's conditional PUT and DELETE on "<prefix>/.ziti-backup.lease".
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "store/object_lease.h"
#include "store/s3_requests.h"

namespace zb::store {

// TakeLease on the target of `requests`, which must outlive the returned
// lock.
Result<std::unique_ptr<TargetLock>> TakeS3Lease(S3Requests& requests, const std::string& owner,
                                                std::chrono::seconds ttl,
                                                std::function<void()> on_lost);

}  // namespace zb::store
