#include "stack_env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <regex>
#include <thread>
#include <vector>

#include "json.h"

namespace vc::test {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) {
    std::fprintf(stderr, "%s is not set: run the integration tests through `make test`\n", name);
    std::exit(2);
  }
  return v;
}

}  // namespace

std::string stack_dir() {
  return env("VC_STACK_DIR");
}
int https_port() {
  return std::stoi(env("VC_HTTPS_PORT"));
}
std::string origin() {
  return "https://localhost:" + std::to_string(https_port());
}

const Config& stack_config() {
  static const Config config = [] {
    auto c = load_config(stack_dir() + "/videochat.conf");
    if (!c) {
      std::fprintf(stderr, "%s\n", c.error().message.c_str());
      std::exit(2);
    }
    return *c;
  }();
  return config;
}

std::unique_ptr<httplib::Client> client(const std::string& source_ip) {
  auto c = std::make_unique<httplib::Client>(origin());
  if (!source_ip.empty()) c->set_interface(source_ip);
  c->set_ca_cert_path((stack_dir() + "/tls/cert.pem").c_str());
  c->enable_server_certificate_verification(true);
  c->set_tcp_nodelay(true);  // headers and body go in separate writes; no Nagle delay
  c->set_connection_timeout(5);
  c->set_read_timeout(20);
  return c;
}

httplib::Headers browser_headers(const std::string& cookie_token) {
  httplib::Headers h{{"Origin", origin()}, {"Sec-Fetch-Site", "same-origin"}};
  if (!cookie_token.empty()) h.emplace("Cookie", std::string(kSessionCookie) + "=" + cookie_token);
  return h;
}

Db& db() {
  thread_local Db connection(stack_config().db);
  return connection;
}

httplib::Result get(const std::string& path, const std::string& token) {
  return client()->Get(path.c_str(), browser_headers(token));
}

httplib::Result post(const std::string& path, const std::string& body, const std::string& token) {
  return client()->Post(path.c_str(), browser_headers(token), body, "application/json");
}

httplib::Result del(const std::string& path, const std::string& token) {
  return client()->Delete(path.c_str(), browser_headers(token));
}

std::string error_code(const httplib::Result& res) {
  if (!res) return "no response";
  auto body = JsonObject::parse(res->body);
  if (!body) return "not json: " + res->body;
  auto error = body->object_field_text("error");
  if (!error) return "no error object: " + res->body;
  return *JsonObject::parse(*error)->string_field("code");
}

void insert_call(const std::string& id, int64_t caller, int64_t callee, const char* outcome,
                 const char* created, const char* answered, const char* ended, const char* reason) {
  auto opt = [](const char* v) -> DbParam {
    return v ? DbParam(std::string(v)) : DbParam(nullptr);
  };
  auto r = db().exec(
      "INSERT INTO calls (id, caller_id, callee_id, created_at, answered_at, ended_at, outcome,"
      " end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {id, caller, callee, std::string(created), opt(answered), opt(ended), std::string(outcome),
       opt(reason)});
  ASSERT_TRUE(r.ok()) << r.error().message;
}

std::string new_call_id() {
  static std::atomic<int> counter{0};
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%06d%06d", ::getpid() % 1000000,
                ++counter);
  return buf;
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "_" + std::to_string(::getpid() % 100000) + "_" + std::to_string(++counter);
}

std::string folded_name(const std::string& prefix) {
  std::string name = unique_name(prefix);
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  return name;
}

std::string unique_word(const std::string& stem) {
  static std::atomic<int> counter{0};
  std::string word = stem;
  for (char d : std::to_string(::getpid() * 100 + ++counter))
    word += static_cast<char>('a' + d - '0');
  return word;
}

int64_t insert_user(const std::string& username, const std::string& display_name) {
  auto r = db().exec("INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, 'x')",
                     {username, display_name});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? static_cast<int64_t>(r->insert_id) : 0;
}

std::string session_token(const httplib::Result& res) {
  if (!res) return "";
  static const std::regex kCookie(std::string(kSessionCookie) + "=([A-Za-z0-9_-]*)");
  std::smatch m;
  std::string set_cookie = res->get_header_value("Set-Cookie");
  return std::regex_search(set_cookie, m, kCookie) ? m[1].str() : "";
}

LoggedIn register_and_login(const std::string& prefix, const std::string& password) {
  LoggedIn out;
  out.username = unique_name(prefix);
  auto c = client();
  std::string creds = R"({"username":")" + out.username + R"(","password":")" + password + R"("})";
  auto reg = c->Post("/api/register", browser_headers(), creds, "application/json");
  EXPECT_TRUE(reg && reg->status == 201) << (reg ? reg->body : "no response");
  auto login = c->Post("/api/login", browser_headers(), creds, "application/json");
  EXPECT_TRUE(login && login->status == 200) << (login ? login->body : "no response");
  out.token = session_token(login);
  if (login) {
    auto body = JsonObject::parse(login->body);
    if (body) {
      auto user = JsonObject::parse(*body->object_field_text("user"));
      if (user) out.user_id = *user->int_field("id");
    }
  }
  return out;
}

bool stack_ctl(const std::string& command) {
  std::string line = env("VC_SRC_DIR") + "/scripts/stack.sh " + command + " '" + stack_dir() + "'";
  return std::system(line.c_str()) == 0;
}

Flood flood(const std::function<httplib::Result(httplib::Client&)>& request, int per_client,
            const std::string& source_ip) {
  constexpr int kClients = 8;
  std::atomic<int> limited{0}, answered{0};
  std::atomic<bool> wrong_body{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&] {
      auto c = client(source_ip);
      c->set_keep_alive(true);
      for (int i = 0; i < per_client && limited == 0; ++i) {
        auto res = request(*c);
        if (!res) continue;
        ++answered;
        if (res->status == 429) {
          ++limited;
          if (error_code(res) != "too_many_attempts") wrong_body = true;
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  return {answered.load(), limited.load(), wrong_body.load()};
}

}  // namespace vc::test
