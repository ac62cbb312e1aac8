// Every database call ws-daemon makes runs here, never on the Asio thread: a few threads,
// each with its own vc::Db (MariaDB handles are single-threaded) and its own queue.
// Results go back to the Asio thread with asio::post, so callers see them on the hub thread.
// Jobs capture ids and connection_hdl (weak) values, never a connection_ptr or hub state.
#pragma once

#include <asio.hpp>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config.h"
#include "db.h"
#include "session_store.h"

namespace vc::ws {

// What a job gets: the worker's own connection and the session store on it.
struct DbContext {
  Db& db;
  SessionStore& sessions;
};

class DbWorkers {
 public:
  using Job = std::function<void(DbContext&)>;

  DbWorkers(asio::io_context& loop, const Config& config, int threads);
  ~DbWorkers();
  DbWorkers(const DbWorkers&) = delete;
  DbWorkers& operator=(const DbWorkers&) = delete;

  // Queues `work` on the least busy worker; `done` receives its result on the loop thread.
  // False (and nothing queued) when the queues are full: the database is not keeping up.
  template <class T>
  bool ask(std::function<T(DbContext&)> work, std::function<void(T)> done) {
    return submit(-1, wrap(std::move(work), std::move(done)));
  }
  // Jobs with the same key run in the order they were queued (the writes of one call).
  void write(const std::string& key, Job job) { submit(worker_for(key), std::move(job)); }

  // Runs every job already queued, then stops the threads. Results of jobs that finish
  // after the loop stopped are dropped with it.
  void drain_and_stop();

 private:
  struct Worker {
    std::thread thread;
    std::mutex mutex;  // guards `jobs` and `stopping`, nothing else
    std::condition_variable wake;
    std::deque<Job> jobs;
    bool stopping = false;
  };

  template <class T>
  Job wrap(std::function<T(DbContext&)> work, std::function<void(T)> done) {
    return [this, work = std::move(work), done = std::move(done)](DbContext& ctx) {
      asio::post(loop_, [done, result = work(ctx)]() mutable { done(std::move(result)); });
    };
  }
  bool submit(int worker, Job job);
  int worker_for(const std::string& key) const;
  void run(Worker& worker);

  asio::io_context& loop_;
  const Config& config_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace vc::ws
