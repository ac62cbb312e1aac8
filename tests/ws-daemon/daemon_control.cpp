#include "daemon_control.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "stack_env.h"

namespace vc::test {
namespace {

pid_t g_child = 0;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string pid_file() {
  return stack_dir() + "/run/ws-daemon.pid";
}

bool port_open(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// A process that is not our child: gone, or a zombie nobody reaps, counts as exited.
bool exited(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  auto paren = line.rfind(')');
  return paren == std::string::npos || line.substr(paren + 2, 1) == "Z";
}

template <class Pred>
bool wait_until(Pred pred, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

// A daemon with the test config dies with this process: should the suite crash before its
// TearDown, no daemon of test timers is left serving the suites that come after it.
enum class Lifetime { kThisSuite, kTheStack };

bool spawn(const std::string& config_path, Lifetime lifetime) {
  const pid_t suite = ::getpid();
  const std::string binary = env_or("VC_BUILD_DIR", "build") + "/ws-daemon/ws-daemon";
  const std::string log = stack_dir() + "/log/ws-daemon.stderr";
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0640);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    // Nothing else of this test process (its client sockets, its DB connection) lives on in
    // the daemon, which outlasts the suite.
    ::close_range(3, ~0U, 0);
    if (lifetime == Lifetime::kThisSuite &&
        (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || ::getppid() != suite))
      ::_exit(127);
    ::setpgid(0, 0);  // its own group: a Ctrl-C on the tests does not reach it twice
    ::execl(binary.c_str(), binary.c_str(), "-c", config_path.c_str(), nullptr);
    ::_exit(127);
  }
  g_child = pid;
  std::ofstream(pid_file()) << pid << "\n";  // so that `stack.sh stop` stops it too
  const int port = stack_config().ws_port;
  bool up = wait_until([&] { return port_open(port) || ::waitpid(pid, nullptr, WNOHANG) == pid; },
                       std::chrono::seconds(30));
  return up && port_open(port);
}

void stop_stack_daemon() {
  std::ifstream in(pid_file());
  pid_t pid = 0;
  if (!(in >> pid) || pid <= 0) return;
  ::kill(pid, SIGTERM);
  if (!wait_until([&] { return exited(pid); }, std::chrono::seconds(15))) ::kill(pid, SIGKILL);
  wait_until([&] { return exited(pid); }, std::chrono::seconds(5));
}

// Suite-wide: our daemon before the first test, the stack's after the last.
class DaemonEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    stop_stack_daemon();
    ASSERT_TRUE(start_ws_daemon()) << "ws-daemon did not start; see " << stack_dir() << "/log";
  }
  void TearDown() override { restore_stack_ws_daemon(); }
};

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new DaemonEnvironment);

}  // namespace

bool start_ws_daemon(const std::string& extra_config) {
  std::ifstream in(stack_dir() + "/videochat.conf");
  std::stringstream text;
  text << in.rdbuf() << "\n# ws-daemon integration tests\n" << kWsTestConfig << extra_config;
  const std::string path = stack_dir() + "/ws-test.conf";
  std::ofstream(path) << text.str();
  ::chmod(path.c_str(), 0600);
  return spawn(path, Lifetime::kThisSuite);
}

int stop_ws_daemon(int signal) {
  if (g_child <= 0) return -1000;
  ::kill(g_child, signal);
  int status = 0;
  pid_t child = g_child;
  bool done = wait_until([&] { return ::waitpid(child, &status, WNOHANG) == child; },
                         std::chrono::seconds(15));
  if (!done) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
  }
  g_child = 0;
  if (!done) return -1000;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

void restore_stack_ws_daemon() {
  stop_ws_daemon(SIGTERM);
  if (!spawn(stack_dir() + "/videochat.conf", Lifetime::kTheStack))
    ADD_FAILURE() << "the stack's ws-daemon did not come back";
  g_child = 0;  // the stack's now: `stack.sh stop` ends it
}

std::string read_log() {
  std::ifstream in(stack_config().log_file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace vc::test
