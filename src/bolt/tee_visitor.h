// TeeVisitor: one walk, two visitors (inspect's statistics and its Ziti
// summary), so the file is read once for both.
#pragma once

#include "bolt/walk.h"

namespace zb::bolt {

class TeeVisitor final : public TreeVisitor {
 public:
  TeeVisitor(TreeVisitor& a, TreeVisitor& b) : a_(a), b_(b) {}
  void EnterBucket(const BucketPath& p, const BucketHeader& h) override {
    a_.EnterBucket(p, h);
    b_.EnterBucket(p, h);
  }
  void LeaveBucket(const BucketPath& p) override {
    a_.LeaveBucket(p);
    b_.LeaveBucket(p);
  }
  void Page(const BucketPath& p, const PageVisit& v) override {
    a_.Page(p, v);
    b_.Page(p, v);
  }
  void Key(const BucketPath& p, ByteSpan k, ByteSpan v) override {
    a_.Key(p, k, v);
    b_.Key(p, k, v);
  }

 private:
  TreeVisitor& a_;
  TreeVisitor& b_;
};

}  // namespace zb::bolt
