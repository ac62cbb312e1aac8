#include "store/db_workers.h"

#include "log.h"

namespace vc::ws {
namespace {

// Past this many queued jobs on every worker, new work is refused (handshakes get 503)
// instead of queueing without bound while the database is slow or gone.
constexpr size_t kMaxQueuedJobs = 1000;

}  // namespace

DbWorkers::DbWorkers(asio::io_context& loop, const Config& config, int threads)
    : loop_(loop), config_(config) {
  for (int i = 0; i < std::max(1, threads); ++i) workers_.push_back(std::make_unique<Worker>());
  for (auto& w : workers_) w->thread = std::thread([this, &worker = *w] { run(worker); });
}

DbWorkers::~DbWorkers() {
  drain_and_stop();
}

void DbWorkers::drain_and_stop() {
  for (auto& w : workers_) {
    std::lock_guard lock(w->mutex);
    w->stopping = true;
    w->wake.notify_one();
  }
  for (auto& w : workers_)
    if (w->thread.joinable()) w->thread.join();
}

bool DbWorkers::submit(int index, Job job) {
  if (index < 0) {
    // Least busy: a lookup should not wait behind another worker's backlog.
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < workers_.size(); ++i) {
      std::lock_guard lock(workers_[i]->mutex);
      if (workers_[i]->jobs.size() < best) best = workers_[i]->jobs.size(), index = int(i);
    }
  }
  Worker& w = *workers_[index];
  std::lock_guard lock(w.mutex);
  if (w.stopping || w.jobs.size() >= kMaxQueuedJobs) {
    log_event(LogLevel::error, "ws", "db_queue_full", {{"worker", index}});
    return false;
  }
  w.jobs.push_back(std::move(job));
  w.wake.notify_one();
  return true;
}

int DbWorkers::worker_for(const std::string& key) const {
  return static_cast<int>(std::hash<std::string>{}(key) % workers_.size());
}

void DbWorkers::run(Worker& worker) {
  Db db(config_.db);
  SessionStore sessions(db, SessionPolicy::from(config_));
  DbContext ctx{db, sessions};
  for (;;) {
    Job job;
    {
      std::unique_lock lock(worker.mutex);
      worker.wake.wait(lock, [&] { return worker.stopping || !worker.jobs.empty(); });
      if (worker.jobs.empty()) return;  // stopping, and everything queued has run
      job = std::move(worker.jobs.front());
      worker.jobs.pop_front();
    }
    try {
      job(ctx);
    } catch (const std::exception& e) {
      log_event(LogLevel::error, "ws", "db_job_failed", {{"error", e.what()}});
    }
  }
}

}  // namespace vc::ws
