// Faults around a call: a client that never reads (the daemon bounds its send buffer and cuts it
// off, nobody else notices) and `nginx -s reload` under open calls (they keep relaying).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>

#include "ws_test_util.h"

using namespace vc;
using namespace vc::test;

namespace {

using Clock = std::chrono::steady_clock;

// A WebSocket client that completes the upgrade straight to ws-daemon's plain port and then
// never reads again: the slow reader the send-buffer limit is there for.
class NonReadingClient {
 public:
  explicit NonReadingClient(const std::string& token) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    // A small receive window, so the kernel holds little of what the daemon sends and the
    // rest piles up in the daemon (the loopback default would swallow megabytes).
    int small = 4096;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(stack_config().ws_port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
    std::string request =
        "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Origin: " +
        origin() + "\r\nCookie: __Host-session=" + token + "\r\n\r\n";
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size()))
      return;
    // Read the response headers one byte at a time, so not a byte of the first frame is taken.
    std::string head;
    char c;
    while (head.size() < 4096 && head.find("\r\n\r\n") == std::string::npos) {
      if (!wait_readable(kWait) || ::recv(fd_, &c, 1, 0) != 1) return;
      head += c;
    }
    upgraded_ = head.rfind("HTTP/1.1 101", 0) == 0;
  }
  ~NonReadingClient() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool upgraded() const { return upgraded_; }

  // One masked text frame (a zero mask: allowed, and the payload stays readable).
  bool send_text(const std::string& text) {
    std::string frame = "\x81";
    if (text.size() < 126) {
      frame += static_cast<char>(0x80 | text.size());
    } else {
      frame += static_cast<char>(0x80 | 126);
      frame += static_cast<char>(text.size() >> 8);
      frame += static_cast<char>(text.size() & 0xff);
    }
    frame += std::string(4, '\0') + text;
    return ::send(fd_, frame.data(), frame.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(frame.size());
  }

  // Reads everything the daemon had sent; true when the socket ends (EOF or reset) in time.
  bool drain_until_closed(std::chrono::milliseconds wait) {
    auto deadline = Clock::now() + wait;
    std::vector<char> buf(1 << 16);
    while (Clock::now() < deadline) {
      if (!wait_readable(
              std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())))
        return false;
      ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) return true;
    }
    return false;
  }

 private:
  bool wait_readable(std::chrono::milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(wait.count())) == 1;
  }

  int fd_ = -1;
  bool upgraded_ = false;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The daemon's log lines about `event` for `user_id`.
int count_log_events(const std::string& event, int64_t user_id) {
  std::istringstream log(read_file(stack_dir() + "/log/videochat.log"));
  int n = 0;
  for (std::string line; std::getline(log, line);)
    if (line.find("\"event\":\"" + event + "\"") != std::string::npos &&
        line.find("\"user_id\":" + std::to_string(user_id) + ",") != std::string::npos)
      ++n;
  return n;
}

// Both parties' connections relay an ice message to the other, each arriving once.
void expect_relays_both_ways(WsClient& a, WsClient& b, const std::string& call_id,
                             const std::string& tag) {
  a.send(ice_message(call_id, "from-a-" + tag));
  b.send(ice_message(call_id, "from-b-" + tag));
  auto at_b = b.next("ice");
  auto at_a = a.next("ice");
  ASSERT_TRUE(at_a && at_b) << tag;
  EXPECT_EQ(at_b->nested_str("candidate", "candidate"), "from-a-" + tag);
  EXPECT_EQ(at_a->nested_str("candidate", "candidate"), "from-b-" + tag);
  ASSERT_TRUE(a.sync() && b.sync());
  EXPECT_FALSE(a.has_queued("ice") || b.has_queued("ice")) << tag;
}

std::set<int> nginx_workers() {
  std::string master = read_file(stack_dir() + "/run/nginx.pid");
  std::set<int> pids;
  if (master.empty()) return pids;
  int pid = std::stoi(master);
  std::istringstream children(
      read_file("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children"));
  for (int child; children >> child;) pids.insert(child);
  return pids;
}

}  // namespace

TEST(WsFaults, AClientThatNeverReadsIsClosedAndOthersAreUnaffected) {
  const size_t limit = stack_config().ws_max_send_buffer_bytes;
  Person fast = online_person("slow_peer");
  LoggedIn slow_account = register_and_login("slow_reader");
  NonReadingClient slow(slow_account.token);
  ASSERT_TRUE(slow.upgraded());

  // The non-reading side calls (it needs to read nothing for that); the normal side accepts.
  ASSERT_TRUE(slow.send_text(invite(fast.id())));
  auto incoming = fast.ws->next("incoming");
  ASSERT_TRUE(incoming);
  std::string call_id = incoming->str("call_id");
  fast.ws->send(call_message("accept", call_id));
  ASSERT_TRUE(fast.ws->next("accepted"));

  // Large candidates, under the rate limit (a burst, then below the sustained rate), until a
  // relay is refused because the slow side is gone. Bounded by the byte count, far past the
  // limit plus what the kernel's socket buffers can hold.
  const std::string candidate(48 * 1024, 'c');
  const int burst = stack_config().ws_rate_burst * 9 / 10;
  const auto pace = std::chrono::milliseconds(1000 * 11 / 10 / stack_config().ws_rate_per_s + 1);
  const size_t max_bytes = limit + 64 * 1024 * 1024;
  size_t sent_bytes = 0;
  std::optional<Msg> refused;
  Person c, d;
  std::string other_call;
  // The test daemon drops connections silent for 2 s (daemon_control.h); writing is enough to
  // count as alive, so the slow side writes now and then (refused, harmless) but never reads.
  std::atomic<bool> done{false};
  std::thread keep_alive([&] {
    const std::string text = call_message("hangup", "11111111-2222-4333-8444-555555555555");
    while (!done && slow.send_text(text))
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
  });
  struct Join {
    std::atomic<bool>& done;
    std::thread& t;
    ~Join() { done = true, t.join(); }
  } join{done, keep_alive};
  for (int i = 0; !refused && sent_bytes < max_bytes && fast.ws->open(); ++i) {
    fast.ws->send(ice_message(call_id, candidate));
    sent_bytes += candidate.size();
    if (i == burst) {
      // Meanwhile, with the slow reader's data piling up, another pair calls and relays.
      c = online_person("slow_other_c");
      d = online_person("slow_other_d");
      other_call = start_active_call(*c.ws, *d.ws, d.id());
      ASSERT_FALSE(other_call.empty());
      expect_relays_both_ways(*c.ws, *d.ws, other_call, "during");
    }
    if (i >= burst) {
      refused = fast.ws->next("error", pace);
    }
  }
  ASSERT_TRUE(refused) << "the daemon never cut off the slow reader after " << sent_bytes
                       << " bytes";
  EXPECT_EQ(refused->str("code"), "peer_not_connected");
  EXPECT_GT(sent_bytes, limit);
  EXPECT_TRUE(fast.ws->open());

  // The slow reader's socket ends (after what was in flight), and the daemon said why.
  done = true;
  EXPECT_TRUE(slow.drain_until_closed(kWait));
  bool logged = false;
  for (auto deadline = Clock::now() + kWait; !logged && Clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::milliseconds(50)))
    logged = count_log_events("send_buffer_full", slow_account.user_id) == 1;
  EXPECT_TRUE(logged) << "no send_buffer_full line for user " << slow_account.user_id;

  // The other pair never noticed.
  ASSERT_TRUE(c.ws && d.ws);
  EXPECT_TRUE(c.ws->open() && d.ws->open());
  expect_relays_both_ways(*c.ws, *d.ws, other_call, "after");
  c.ws->send(call_message("hangup", other_call));
  EXPECT_TRUE(d.ws->next("ended"));
}

TEST(WsFaults, NginxReloadKeepsOpenCallsRelaying) {
  Person a = online_person("rl_a");
  Person b = online_person("rl_b");
  std::string call_id = start_active_call(*a.ws, *b.ws, b.id());
  ASSERT_FALSE(call_id.empty());
  expect_relays_both_ways(*a.ws, *b.ws, call_id, "before");

  std::set<int> before = nginx_workers();
  ASSERT_FALSE(before.empty()) << "no nginx workers found under " << stack_dir();
  std::string dir = stack_dir();
  std::string reload = "nginx -p '" + dir + "/nginx' -c '" + dir + "/nginx/nginx.conf' -e '" + dir +
                       "/log/nginx-error.log' -s reload";
  ASSERT_EQ(std::system(reload.c_str()), 0) << reload;

  // The reload took effect: new workers exist beside the old ones that hold our connections.
  bool new_worker = false;
  for (auto deadline = Clock::now() + kWait; !new_worker && Clock::now() < deadline;) {
    for (int pid : nginx_workers())
      if (!before.count(pid)) new_worker = true;
    if (!new_worker) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(new_worker) << "nginx did not start new workers after the reload";

  EXPECT_TRUE(a.ws->open() && b.ws->open());
  expect_relays_both_ways(*a.ws, *b.ws, call_id, "after");
  // New connections are served by the new workers meanwhile.
  Person c = online_person("rl_c");
  Person d = online_person("rl_d");
  std::string other_call = start_active_call(*c.ws, *d.ws, d.id());
  ASSERT_FALSE(other_call.empty());
  expect_relays_both_ways(*c.ws, *d.ws, other_call, "new");

  a.ws->send(call_message("hangup", call_id));
  auto ended = b.ws->next("ended");
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->str("call_id"), call_id);
  auto row = wait_for_call_row(call_id, "ended");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->end_reason, "hangup");
}
