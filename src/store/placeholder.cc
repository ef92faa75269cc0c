namespace zb::store {}
