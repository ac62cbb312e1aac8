// What the benchmarks read about processes and samples: CPU time and resident memory from
// /proc (Linux), and latency percentiles.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

namespace vc::bench {

// User plus system CPU seconds that `pid` has used so far (all its threads); -1 if unreadable.
double cpu_seconds(pid_t pid);
// Resident set size of `pid` in KiB; -1 if unreadable.
long rss_kib(pid_t pid);

// CPU used by several processes over a stretch of wall time, in cores (1.0 = one core busy).
class CpuMeter {
 public:
  explicit CpuMeter(std::vector<pid_t> pids) : pids_(std::move(pids)) {}
  void start();
  // Cores used since start(), one figure per pid, in the order given.
  std::vector<double> stop() const;

 private:
  std::vector<pid_t> pids_;
  std::vector<double> cpu_at_start_;
  double wall_at_start_ = 0;
};

struct Percentiles {
  size_t count = 0;
  double p50_us = 0, p99_us = 0, p999_us = 0, max_us = 0;
};
// `samples_ns` is reordered.
Percentiles percentiles(std::vector<uint64_t>& samples_ns);

double now_seconds();  // steady clock

}  // namespace vc::bench
