#include "proc_stats.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

namespace vc::bench {

double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return -1;
  // The command name (field 2) may hold spaces; fields are counted after its closing ')'.
  size_t close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) {
      stime = std::stoull(field);
      return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
    }
  }
  return -1;
}

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void CpuMeter::start() {
  cpu_at_start_.clear();
  for (pid_t pid : pids_) cpu_at_start_.push_back(cpu_seconds(pid));
  wall_at_start_ = now_seconds();
}

std::vector<double> CpuMeter::stop() const {
  const double wall = now_seconds() - wall_at_start_;
  std::vector<double> cores;
  for (size_t i = 0; i < pids_.size(); ++i) {
    const double cpu = cpu_seconds(pids_[i]);
    cores.push_back(cpu < 0 || cpu_at_start_[i] < 0 || wall <= 0 ? -1
                                                                 : (cpu - cpu_at_start_[i]) / wall);
  }
  return cores;
}

Percentiles percentiles(std::vector<uint64_t>& samples) {
  Percentiles p;
  p.count = samples.size();
  if (samples.empty()) return p;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    size_t i = std::min(samples.size() - 1, size_t(q * double(samples.size())));
    return samples[i] / 1000.0;
  };
  p.p50_us = at(0.50);
  p.p99_us = at(0.99);
  p.p999_us = at(0.999);
  p.max_us = samples.back() / 1000.0;
  return p;
}

}  // namespace vc::bench
