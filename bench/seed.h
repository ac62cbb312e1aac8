// Accounts and live sessions for the load, made directly in the stack's database: thousands
// of registrations through the API would spend minutes in argon2, which is not what these
// benchmarks measure. Sessions are made by the project's own SessionStore, so the cookies
// are exactly what a login hands out, and ws-daemon checks them the usual way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config.h"
#include "error.h"

namespace vc::bench {

struct BenchUser {
  int64_t id = 0;
  std::string cookie;  // "__Host-session=TOKEN"
};

// `count` new users named PREFIX_N (no usable password), each with one session.
Result<std::vector<BenchUser>> seed_users(const Config& config, const std::string& prefix,
                                          int count);

}  // namespace vc::bench
