// vc-bench-load: the native load generator of `make bench` (scripts/bench.sh). One run is one
// scenario against one server, ws-daemon (--config: its plain port, straight from loopback,
// not through nginx) or the Node peer relay (--port). Results go to stdout as key=value
// lines; every phase has a deadline and the whole run a hard limit, so it always ends.
//
//   vc-bench-load relay   [--pairs 1000] [--seconds 10] [--warmup 2] [--burst 1]
//   vc-bench-load idle    [--idle 10000] [--per-user 8] [--pairs 100] [--seconds 10]
//   vc-bench-load upgrade [--count 5000] [--per-user 100] [--window 64]
//   vc-bench-load presence [--idle 10000] [--contacts 50] [--restart-cmd CMD]
//   vc-bench-load soak    [--pairs 1000] [--seconds 60] [--answer-delay-ms 200]
// with --config FILE | --port N, and --server-pids PID[,PID...] (CPU and RSS are read from
// /proc; the first pid's RSS is the one reported), --threads N, --sources N.
//
// `presence`: distinct users connect at once, each subscribing to `contacts` others when greeted,
// as a page subscribes to its contacts; measured until every answer came and presence went
// quiet. Idle connections may subscribe in every mode (--contacts). With --restart-cmd, once
// settled the command runs (it restarts the server), the dropped connections come back with the
// browser's back-off and subscribe again, and the time until all are back and presence is quiet
// is measured from the command's start.
//
// `soak` is the load test of `make test` (scripts/run-tests.sh), not a benchmark: paced
// relaying under the daemon's rate limit, then checks printed as "PASS/FAIL name" lines and a
// last line "load: N passed, M failed"; its exit status is 0 only when all passed.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config.h"
#include "load_group.h"
#include "proc_stats.h"
#include "seed.h"
#include "session_store.h"
#include "token.h"

namespace vc::bench {
namespace {

// Phase deadlines: generous for a loaded 2-core machine, but always finite.
constexpr double kConnectDeadlineS = 120;
constexpr double kSetupDeadlineS = 60;
constexpr double kSettleMaxS = 30;
constexpr double kQuietS = 1.0;  // idle connections have settled when nothing came for this long
constexpr double kCloseDeadlineS = 15;
constexpr double kRestartDeadlineS = 90;
constexpr unsigned kHardLimitS = 420;  // the whole run, whatever happens

struct Options {
  std::string mode;
  std::string config_path;
  std::string restart_cmd;
  int port = 0;
  std::vector<pid_t> server_pids;
  int pairs = -1, idle = -1, count = 5000, per_user = -1, window = 64;
  int threads = 1, sources = 8, burst = 1, answer_delay_ms = -1, contacts = -1;
  double seconds = 10, warmup = 2;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "vc-bench-load: %s\nusage: vc-bench-load relay|idle|upgrade "
               "(--config FILE | --port N) [--server-pids P,...] [options]\n",
               why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  if (argc < 2) usage("no mode");
  Options o;
  o.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) usage(("missing value for " + a).c_str());
    std::string v = argv[++i];
    if (a == "--config")
      o.config_path = v;
    else if (a == "--port")
      o.port = std::stoi(v);
    else if (a == "--pairs")
      o.pairs = std::stoi(v);
    else if (a == "--idle")
      o.idle = std::stoi(v);
    else if (a == "--count")
      o.count = std::stoi(v);
    else if (a == "--per-user")
      o.per_user = std::stoi(v);
    else if (a == "--restart-cmd")
      o.restart_cmd = v;
    else if (a == "--contacts")
      o.contacts = std::max(0, std::stoi(v));
    else if (a == "--window")
      o.window = std::stoi(v);
    else if (a == "--answer-delay-ms")
      o.answer_delay_ms = std::max(0, std::stoi(v));
    else if (a == "--burst")
      o.burst = std::max(1, std::stoi(v));
    else if (a == "--threads")
      o.threads = std::max(1, std::stoi(v));
    else if (a == "--sources")
      o.sources = std::max(1, std::min(200, std::stoi(v)));
    else if (a == "--seconds")
      o.seconds = std::stod(v);
    else if (a == "--warmup")
      o.warmup = std::stod(v);
    else if (a == "--server-pids") {
      for (size_t at = 0; at <= v.size();) {
        size_t comma = v.find(',', at);
        if (comma == std::string::npos) comma = v.size();
        if (comma > at) o.server_pids.push_back(pid_t(std::stol(v.substr(at, comma - at))));
        at = comma + 1;
      }
    } else
      usage(("unknown option " + a).c_str());
  }
  if (o.mode != "relay" && o.mode != "idle" && o.mode != "upgrade" && o.mode != "soak" &&
      o.mode != "presence")
    usage("unknown mode");
  if (o.config_path.empty() == (o.port == 0)) usage("give exactly one of --config and --port");
  if (o.mode == "relay" || o.mode == "soak") o.pairs = o.pairs < 0 ? 1000 : o.pairs, o.idle = 0;
  if (o.answer_delay_ms < 0) o.answer_delay_ms = o.mode == "soak" ? 200 : 0;
  if (o.mode == "idle") o.pairs = o.pairs < 0 ? 100 : o.pairs, o.idle = o.idle < 0 ? 10000 : o.idle;
  if (o.mode == "upgrade") o.pairs = 0, o.idle = o.count;
  if (o.mode == "presence") o.pairs = 0, o.idle = o.idle < 0 ? 10000 : o.idle;
  if (o.per_user < 0) o.per_user = o.mode == "upgrade" ? 100 : o.mode == "presence" ? 1 : 8;
  if (o.contacts < 0) o.contacts = o.mode == "presence" ? 50 : 0;
  return o;
}

// Waits until `done` or `deadline_s` passes; true when done.
bool wait_until(const std::function<bool()>& done, double deadline_s) {
  const double end = now_seconds() + deadline_s;
  while (!done()) {
    if (now_seconds() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void print_cores(const char* key, const std::vector<double>& cores) {
  std::printf("%s=", key);
  for (size_t i = 0; i < cores.size(); ++i) std::printf("%s%.2f", i ? "," : "", cores[i]);
  std::printf("\n");
}

void check(int& passed, int& failed, bool ok, const std::string& name) {
  std::printf("%s %s\n", ok ? "PASS" : "FAIL", name.c_str());
  ++(ok ? passed : failed);
}

// The soak after its calls are set up: relay for o.seconds, RSS read once warm (a third of the
// way in) and at the end, then the checks. Connections and calls were counted before.
int finish_soak(const Options& o, std::vector<std::unique_ptr<LoadGroup>>& groups,
                std::vector<std::thread>& threads, int total, bool all_in_calls, pid_t rss_pid) {
  auto sum = [&](auto member) {
    long long n = 0;
    for (auto& g : groups) n += (g.get()->*member).load();
    return n;
  };
  const long long calls = sum(&LoadGroup::calls_ready);
  for (auto& g : groups) g->start_relay(0, 0);
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds / 3));
  const long rss_warm = rss_pid ? rss_kib(rss_pid) : -1;
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds * 2 / 3));
  const long rss_end = rss_pid ? rss_kib(rss_pid) : -1;
  for (auto& g : groups) g->stop_relay();
  // What is in flight lands; a relay that never comes keeps the counts apart.
  wait_until([&] { return sum(&LoadGroup::ice_received) >= sum(&LoadGroup::ice_sent); }, 10);
  const long long sent = sum(&LoadGroup::ice_sent), received = sum(&LoadGroup::ice_received);
  const long long errors = sum(&LoadGroup::errors);
  const long long unexpected = sum(&LoadGroup::unexpected_closes);
  for (auto& g : groups) g->close_all();
  const bool closed = wait_until([&] { return sum(&LoadGroup::ended) >= total; }, kCloseDeadlineS);
  for (auto& g : groups) g->stop();
  for (auto& t : threads) t.join();

  std::printf("ice_sent=%lld\nice_received=%lld\nrss_warm_kib=%ld\nrss_end_kib=%ld\n", sent,
              received, rss_warm, rss_end);
  int passed = 0, failed = 0;
  check(passed, failed, all_in_calls && calls == o.pairs,
        "every connection opened and every pair got into a call (" + std::to_string(calls) +
            " of " + std::to_string(o.pairs) + ")");
  check(passed, failed, errors == 0, "no error messages (" + std::to_string(errors) + ")");
  check(passed, failed, unexpected == 0,
        "no connection closed by the server (" + std::to_string(unexpected) + ")");
  check(passed, failed, sent > 0 && sent == received,
        "every ice sent arrived exactly once (" + std::to_string(sent) + " sent, " +
            std::to_string(received) + " received)");
  // A leak check, not a timing one: after warm-up the daemon's memory stays where it was,
  // give or take 10% and 8 MiB of allocator noise.
  check(passed, failed, rss_warm > 0 && rss_end <= rss_warm + rss_warm / 10 + 8 * 1024,
        "ws-daemon RSS stable after warm-up (" + std::to_string(rss_warm) + " KiB -> " +
            std::to_string(rss_end) + " KiB)");
  check(passed, failed, closed, "every connection closed cleanly at the end");
  std::printf("load: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

int run(const Options& o) {
  // ---- Who connects, with which cookie --------------------------------------------------
  // Idle connections are tabs: per_user of them share one user's session. The first
  // connection of every user comes first, so presence goes out while few are connected.
  GroupPlan base;
  const int idle_users = o.idle ? (o.idle + o.per_user - 1) / o.per_user : 0;
  std::vector<int64_t> idle_user_ids(size_t(idle_users), 0);
  std::vector<std::string> idle_cookies(size_t(o.idle));
  std::vector<PairSpec> pairs(size_t(o.pairs));
  if (!o.config_path.empty()) {
    auto config = load_config(o.config_path);
    if (!config) return std::fprintf(stderr, "%s\n", config.error().message.c_str()), 1;
    base.kind = ServerKind::daemon;
    base.target.server = {asio::ip::make_address("127.0.0.1"), uint16_t(config->ws_port)};
    base.target.origin =
        config->ws_allowed_origin.empty() ? config->public_origin : config->ws_allowed_origin;
    const double t = now_seconds();
    auto users =
        seed_users(*config, "b" + std::to_string(getpid()) + o.mode[0], idle_users + 2 * o.pairs);
    if (!users) return std::fprintf(stderr, "seeding: %s\n", users.error().message.c_str()), 1;
    std::fprintf(stderr, "vc-bench-load: %zu users and sessions made in %.1f s\n", users->size(),
                 now_seconds() - t);
    for (int u = 0; u < idle_users; ++u) idle_user_ids[size_t(u)] = (*users)[size_t(u)].id;
    for (int i = 0; i < o.idle; ++i)
      idle_cookies[size_t(i)] = (*users)[size_t(i % idle_users)].cookie;
    for (int i = 0; i < o.pairs; ++i) {
      const BenchUser& caller = (*users)[size_t(idle_users + 2 * i)];
      const BenchUser& callee = (*users)[size_t(idle_users + 2 * i + 1)];
      pairs[size_t(i)] = {caller.cookie, callee.cookie, callee.id, ""};
    }
  } else {
    base.kind = ServerKind::peer;
    base.target.server = {asio::ip::make_address("127.0.0.1"), uint16_t(o.port)};
    // The peer takes the user from the cookie (it has no sessions): the same bookkeeping.
    for (int u = 0; u < idle_users; ++u) idle_user_ids[size_t(u)] = u + 1;
    for (int i = 0; i < o.idle; ++i)
      idle_cookies[size_t(i)] = std::string(kSessionCookie) + "=u" +
                                std::to_string(idle_user_ids[size_t(i % idle_users)]);
    char id[40];
    for (int i = 0; i < o.pairs; ++i) {
      std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
      pairs[size_t(i)].join_id = id;
    }
  }
  // Each user follows the next `contacts` users (wrapping around): every user is followed by
  // as many as it follows.
  std::vector<std::string> idle_subscribes(size_t(o.idle));
  const int contacts = std::min(o.contacts, std::max(0, idle_users - 1));
  for (int i = 0; o.contacts > 0 && i < o.idle; ++i) {
    const int u = i % idle_users;
    std::string text = R"({"type":"subscribe","users":[)";
    for (int k = 1; k <= contacts; ++k)
      text += (k > 1 ? "," : "") + std::to_string(idle_user_ids[size_t((u + k) % idle_users)]);
    idle_subscribes[size_t(i)] = text + "]}";
  }
  base.target.host_header = "127.0.0.1:" + std::to_string(base.target.server.port());
  for (int i = 0; i < o.sources; ++i)
    base.sources.push_back(asio::ip::make_address("127.0.0." + std::to_string(2 + i)));
  base.handshake_window = std::max(1, o.window / o.threads);
  base.setup_window = std::max(1, 32 / o.threads);
  base.burst = o.burst;
  base.answer_delay_ms = o.answer_delay_ms;
  base.reconnect = !o.restart_cmd.empty();

  // ---- Groups, one thread each; connections and pairs dealt round-robin ----------------------
  std::vector<std::unique_ptr<LoadGroup>> groups;
  for (int g = 0; g < o.threads; ++g) {
    GroupPlan plan = base;
    for (size_t i = size_t(g); i < idle_cookies.size(); i += size_t(o.threads)) {
      plan.idle_cookies.push_back(idle_cookies[i]);
      plan.idle_subscribes.push_back(idle_subscribes[i]);
    }
    for (size_t i = size_t(g); i < pairs.size(); i += size_t(o.threads))
      plan.pairs.push_back(pairs[i]);
    groups.push_back(std::make_unique<LoadGroup>(std::move(plan)));
  }
  std::vector<std::thread> threads;
  for (auto& g : groups) threads.emplace_back([&g] { g->run(); });
  auto sum = [&](auto member) {
    long long n = 0;
    for (auto& g : groups) n += (g.get()->*member).load();
    return n;
  };
  auto last_of = [&](std::atomic<int64_t> LoadGroup::*member) {
    int64_t last = 0;
    for (auto& g : groups) last = std::max(last, (g.get()->*member).load());
    return last;
  };
  int total = 0;
  for (auto& g : groups) total += g->total_conns();
  std::vector<pid_t> pids = o.server_pids;
  pids.push_back(getpid());
  CpuMeter cpu(pids);
  const pid_t rss_pid = o.server_pids.empty() ? 0 : o.server_pids.front();
  const long rss_before = rss_pid ? rss_kib(rss_pid) : -1;
  std::printf("mode=%s\ntarget=%s\nconnections=%d\n", o.mode.c_str(),
              base.kind == ServerKind::daemon ? "ws-daemon" : "peer", total);

  // ---- Connect -------------------------------------------------------------------------------
  cpu.start();
  for (auto& g : groups) g->connect();
  bool ok = wait_until([&] { return sum(&LoadGroup::opened) + sum(&LoadGroup::refused) >= total; },
                       kConnectDeadlineS);
  const std::vector<double> connect_cores = cpu.stop();
  int64_t first_start = INT64_MAX, last_open = 0;
  for (auto& g : groups) {
    first_start = std::min(first_start, g->first_start_ns);
    last_open = std::max(last_open, g->last_open_ns.load());
  }
  const long long opened = sum(&LoadGroup::opened);
  std::printf("opened=%lld\nrefused=%lld\n", opened, sum(&LoadGroup::refused));
  if (!ok) std::fprintf(stderr, "vc-bench-load: connecting did not finish in time\n");
  if (o.mode == "upgrade") {
    const double s = (last_open - first_start) / 1e9;
    std::printf("upgrade_seconds=%.3f\nupgrades_per_s=%.0f\n", s, s > 0 ? opened / s : 0);
  }
  if (o.mode == "upgrade" || o.mode == "presence") {
    print_cores("server_cores",
                std::vector<double>(connect_cores.begin(), connect_cores.end() - 1));
    std::printf("loadgen_cores=%.2f\n", connect_cores.back());
  }

  // ---- Presence: until every subscriber has its answer and no change is left to tell ---------
  if (o.mode == "presence") {
    const bool answered =
        wait_until([&] { return sum(&LoadGroup::subscribed) >= opened; }, kSettleMaxS);
    wait_until(
        [&] { return now_ns() - last_of(&LoadGroup::last_presence_ns) > int64_t(kQuietS * 1e9); },
        kSettleMaxS);
    const int64_t last_hello = last_of(&LoadGroup::last_hello_ns);
    const int64_t settled = std::max(last_hello, last_of(&LoadGroup::last_presence_ns));
    const long long batches = sum(&LoadGroup::presence_batches);
    const long long told = sum(&LoadGroup::presence_users_told);
    std::printf("contacts=%d\nsubscribed=%lld\nhello_all_s=%.3f\nsettle_s=%.3f\n", contacts,
                sum(&LoadGroup::subscribed), (last_hello - first_start) / 1e9,
                (settled - first_start) / 1e9);
    std::printf("presence_batches=%lld\nusers_told=%lld\n", batches, told);
    if (opened > 0)
      std::printf("batches_per_join=%.1f\nusers_told_per_join=%.1f\n", double(batches) / opened,
                  double(told) / opened);
    if (!answered)
      std::fprintf(stderr, "vc-bench-load: not every subscribe was answered in time\n");
    ok = ok && answered;
  }
  if (o.mode == "presence" && ok && !o.restart_cmd.empty()) {
    const int64_t restart_at = now_ns();
    const int rc = std::system(o.restart_cmd.c_str());
    if (rc != 0) std::fprintf(stderr, "vc-bench-load: the restart command exited %d\n", rc);
    const bool back =
        wait_until([&] { return sum(&LoadGroup::resubscribed) >= opened; }, kRestartDeadlineS);
    wait_until(
        [&] { return now_ns() - last_of(&LoadGroup::last_presence_ns) > int64_t(kQuietS * 1e9); },
        kSettleMaxS);
    const int64_t settled =
        std::max(last_of(&LoadGroup::last_hello_ns), last_of(&LoadGroup::last_presence_ns));
    std::printf("dropped=%lld\nresubscribed=%lld\n", sum(&LoadGroup::dropped),
                sum(&LoadGroup::resubscribed));
    // Only a restart that happened and brought everyone back has a time to show.
    if (back && rc == 0) std::printf("restart_settle_s=%.3f\n", (settled - restart_at) / 1e9);
    if (!back) std::fprintf(stderr, "vc-bench-load: not every connection came back in time\n");
    ok = ok && back && rc == 0;
  }

  // ---- Idle: memory once the greetings and presence have all gone out ------------------------
  if (o.mode == "idle") {
    wait_until(
        [&] {
          int64_t last = 0;
          for (auto& g : groups) last = std::max(last, g->last_message_ns.load());
          return now_ns() - last > int64_t(kQuietS * 1e9);
        },
        kSettleMaxS);
    const long rss_after = rss_pid ? rss_kib(rss_pid) : -1;
    std::printf("rss_before_kib=%ld\nrss_after_kib=%ld\n", rss_before, rss_after);
    if (opened > 0 && rss_before > 0)
      std::printf("bytes_per_conn=%.0f\n",
                  double(rss_after - rss_before) * 1024.0 / double(opened));
  }

  // ---- Calls, then the closed-loop relay -----------------------------------------------------
  if (o.pairs > 0 && ok) {
    ok = wait_until([&] { return sum(&LoadGroup::greeted) >= 2 * o.pairs; }, kSetupDeadlineS);
    for (auto& g : groups) g->set_up_calls();
    ok = ok && wait_until([&] { return sum(&LoadGroup::calls_ready) >= o.pairs; }, kSetupDeadlineS);
    std::printf("calls=%lld\n", sum(&LoadGroup::calls_ready));
    if (!ok) std::fprintf(stderr, "vc-bench-load: not every pair got into a call in time\n");
  }
  if (o.mode == "soak") {
    return finish_soak(o, groups, threads, total, ok && opened == total, rss_pid);
  }
  if (o.pairs > 0 && ok) {
    const int64_t from = now_ns() + int64_t(o.warmup * 1e9);
    const int64_t to = from + int64_t(o.seconds * 1e9);
    for (auto& g : groups) g->start_relay(from, to);
    std::this_thread::sleep_for(std::chrono::nanoseconds(from - now_ns()));
    cpu.start();
    std::this_thread::sleep_for(std::chrono::nanoseconds(to - now_ns()));
    const std::vector<double> relay_cores = cpu.stop();
    for (auto& g : groups) g->stop_relay();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the last answers land
    print_cores("server_cores", std::vector<double>(relay_cores.begin(), relay_cores.end() - 1));
    std::printf("loadgen_cores=%.2f\n", relay_cores.back());
  }

  // ---- Close, and the figures ----------------------------------------------------------------
  const long long unexpected = sum(&LoadGroup::unexpected_closes);
  for (auto& g : groups) g->close_all();
  if (!wait_until([&] { return sum(&LoadGroup::ended) >= total; }, kCloseDeadlineS))
    std::fprintf(stderr, "vc-bench-load: %lld connections did not close in time\n",
                 total - sum(&LoadGroup::ended));
  for (auto& g : groups) g->stop();
  for (auto& t : threads) t.join();

  std::vector<uint64_t> relay, handshakes;
  std::map<int, int> refusals;
  for (auto& g : groups) {
    relay.insert(relay.end(), g->relay_ns.begin(), g->relay_ns.end());
    handshakes.insert(handshakes.end(), g->handshake_ns.begin(), g->handshake_ns.end());
    for (auto [status, n] : g->refusals) refusals[status] += n;
  }
  for (auto [status, n] : refusals) std::printf("refused_status_%d=%d\n", status, n);
  Percentiles h = percentiles(handshakes);
  std::printf("handshake_p50_us=%.0f\nhandshake_p99_us=%.0f\n", h.p50_us, h.p99_us);
  if (o.pairs > 0) {
    Percentiles r = percentiles(relay);
    std::printf(
        "relayed=%zu\nmsgs_per_s=%.0f\np50_us=%.0f\np99_us=%.0f\np999_us=%.0f\nmax_us=%.0f\n",
        r.count, r.count / o.seconds, r.p50_us, r.p99_us, r.p999_us, r.max_us);
  }
  std::printf("errors=%lld\nunexpected_closes=%lld\n", sum(&LoadGroup::errors), unexpected);
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace vc::bench

int main(int argc, char** argv) {
  vc::bench::Options options = vc::bench::parse(argc, argv);
  alarm(vc::bench::kHardLimitS);  // SIGALRM ends a run that is stuck, whatever the phase
  if (!options.config_path.empty() && !vc::crypto_init()) return 1;
  return vc::bench::run(options);
}
