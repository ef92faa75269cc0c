// The writer lock of an object-store target: a lease object, since object
// stores have no flock. ".ziti-backup.lease" under the prefix (a dot-name,
// never listed) holds its owner (host, pid, a random tag) and how long it
// lasts. The holder renews it every third of that time; one that is not
// renewed in time has expired, and anyone may take it over. A killed run
// therefore blocks the target for at most one lease time, never forever.
//
// Ages are judged by the server's clock alone (the Date of a response minus
// the lease's Last-Modified), so hosts with skewed clocks agree.
// Two live runs never write together where the server has conditional
// writes (AWS S3, Ceph RGW, MinIO, R2): the lease is created with
// If-None-Match: * and renewed or taken over with If-Match on the ETag last
// seen, so of two racing writers exactly one wins. A run that finds its
// lease taken (it stalled past the lease time) stops writing: `on_lost`
// is called and the target's writes fail from then on. On a server that
// ignores If-Match on PUT, a takeover race can let two runs both believe
// they won; the lease is read back after taking it, which narrows that to
// two requests' time.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "store/backend.h"
#include "store/s3_requests.h"

namespace zb::store {

inline constexpr char kLeaseName[] = ".ziti-backup.lease";

// kBusy naming the holder and when its lease runs out if another live run
// holds it. `owner` says who we are ("host pid 123"); a random tag is added
// so that two processes can never mistake each other. `requests` must
// outlive the returned lock.
Result<std::unique_ptr<TargetLock>> TakeS3Lease(S3Requests& requests, const std::string& owner,
                                                std::chrono::seconds ttl,
                                                std::function<void()> on_lost);

}  // namespace zb::store
