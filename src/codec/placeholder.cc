namespace zb::codec {}
