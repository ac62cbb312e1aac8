#include "ws_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_client.hpp>

#include "json.h"
#include "session_store.h"
#include "stack_env.h"

namespace vc::test {
namespace {

using Client = websocketpp::client<websocketpp::config::asio_tls_client>;
const std::string kSyncCallId = "00000000-0000-4000-8000-000000000000";

// The message as a JSON object; the test fails loudly when it is not one.
JsonObject parsed(const std::string& text) {
  auto object = JsonObject::parse(text);
  EXPECT_TRUE(object) << text;
  if (object) return std::move(*object);
  return std::move(*JsonObject::parse("{}"));
}

// A field's value, or `fallback` with a test failure naming the field and the message.
template <class T>
T field_or(const Result<T>& value, const char* field, const std::string& text, T fallback) {
  EXPECT_TRUE(value) << field << " in " << text << ": " << (value ? "" : value.error().message);
  return value ? *value : fallback;
}

}  // namespace

std::string Msg::str(const char* f) const {
  return field_or(parsed(text).string_field(f), f, text, std::string());
}
int64_t Msg::num(const char* f) const {
  return field_or(parsed(text).int_field(f), f, text, int64_t{-1});
}
bool Msg::flag(const char* f) const {
  return field_or(parsed(text).bool_field(f), f, text, false);
}
std::string Msg::object(const char* f) const {
  return field_or(parsed(text).object_field_text(f), f, text, std::string("{}"));
}
std::string Msg::nested_str(const char* o, const char* f) const {
  return Msg{"", object(o)}.str(f);
}
int64_t Msg::nested_num(const char* o, const char* f) const {
  return Msg{"", object(o)}.num(f);
}
std::vector<int64_t> Msg::ids(const char* f) const {
  return field_or(parsed(text).int_array_field(f), f, text, std::vector<int64_t>());
}

struct WsClient::Impl {
  Client client;
  Client::connection_ptr con;
  std::thread thread;
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::deque<Msg> queue;
  bool opened = false, failed = false, closed = false;
  int status = 0, code = 0;
  std::string reason;
  std::atomic<int> sync_counter{0};
  bool answer_pings = true;

  template <class Pred>
  bool wait(std::chrono::milliseconds d, Pred pred) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, d, pred);
  }
};

WsClient::WsClient(const ClientOptions& options) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.answer_pings = options.answer_pings;
  s.client.clear_access_channels(websocketpp::log::alevel::all);
  s.client.clear_error_channels(websocketpp::log::elevel::all);
  s.client.init_asio();
  s.client.set_tls_init_handler([](websocketpp::connection_hdl) {
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    ctx->load_verify_file(stack_dir() + "/tls/cert.pem");
    ctx->set_verify_mode(asio::ssl::verify_peer);
    ctx->set_verify_callback(asio::ssl::host_name_verification("localhost"));
    return ctx;
  });
  s.client.set_open_handler([&s](websocketpp::connection_hdl) {
    std::lock_guard lock(s.mutex);
    s.opened = true;
    s.changed.notify_all();
  });
  s.client.set_fail_handler([&s](websocketpp::connection_hdl h) {
    auto con = s.client.get_con_from_hdl(h);
    std::lock_guard lock(s.mutex);
    s.failed = s.closed = true;
    s.status = con->get_response_code();
    s.code = 1006;
    s.changed.notify_all();
  });
  s.client.set_close_handler([&s](websocketpp::connection_hdl h) {
    auto con = s.client.get_con_from_hdl(h);
    std::lock_guard lock(s.mutex);
    s.closed = true;
    s.code = con->get_remote_close_code();
    s.reason = con->get_remote_close_reason();
    s.changed.notify_all();
  });
  s.client.set_ping_handler(
      [&s](websocketpp::connection_hdl, std::string) { return s.answer_pings; });
  s.client.set_message_handler([&s](websocketpp::connection_hdl, Client::message_ptr m) {
    Msg msg{"", m->get_payload()};
    if (auto object = JsonObject::parse(msg.text)) {
      if (auto type = object->string_field("type")) msg.type = *type;
    }
    std::lock_guard lock(s.mutex);
    s.queue.push_back(std::move(msg));
    s.changed.notify_all();
  });

  std::error_code ec;
  const int port = options.port ? options.port : https_port();
  s.con = s.client.get_connection("wss://localhost:" + std::to_string(port) + "/ws", ec);
  if (ec) {
    ADD_FAILURE() << "cannot make a connection: " << ec.message();
    s.failed = s.closed = true;
    return;
  }
  s.con->append_header("Origin", options.origin.empty() ? origin() : options.origin);
  if (!options.raw_cookie.empty())
    s.con->append_header("Cookie", options.raw_cookie);
  else if (!options.token.empty())
    s.con->append_header("Cookie", std::string(kSessionCookie) + "=" + options.token);
  s.client.connect(s.con);
  s.thread = std::thread([&s] { s.client.run(); });
  if (!s.wait(kWait, [&s] { return s.opened || s.failed; }))
    ADD_FAILURE() << "handshake did not finish in time";
}

WsClient::~WsClient() {
  close();
  wait_closed(std::chrono::seconds(5));
  impl_->client.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

bool WsClient::open() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->opened && !impl_->closed;
}

int WsClient::refused_status() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->failed ? impl_->status : 0;
}

void WsClient::send(const std::string& text) {
  std::error_code ec;
  ec = impl_->con->send(text, websocketpp::frame::opcode::text);
  EXPECT_FALSE(ec) << "send failed: " << ec.message();
}

void WsClient::send_unchecked_text(const std::string& bytes) {
  ASSERT_LT(bytes.size(), 126u);
  auto message = impl_->con->get_message(websocketpp::frame::opcode::text, bytes.size());
  // FIN + text; masked (as a client must), with the all-zero key that leaves the bytes as they are.
  message->set_header(std::string{char(0x81), char(0x80 | bytes.size()), 0, 0, 0, 0});
  message->append_payload(bytes);
  message->set_prepared(true);
  std::error_code ec = impl_->con->send(message);
  EXPECT_FALSE(ec) << "send failed: " << ec.message();
}

void WsClient::send_binary(const std::string& bytes) {
  std::error_code ec;
  ec = impl_->con->send(bytes, websocketpp::frame::opcode::binary);
  EXPECT_FALSE(ec) << "send failed: " << ec.message();
}

std::optional<Msg> WsClient::next(const std::string& type, std::chrono::milliseconds wait) {
  Impl& s = *impl_;
  std::optional<Msg> found;
  s.wait(wait, [&] {
    for (auto it = s.queue.begin(); it != s.queue.end(); ++it) {
      if (it->type != type) continue;
      found = std::move(*it);
      s.queue.erase(it);
      return true;
    }
    return s.closed;
  });
  return found;
}

bool WsClient::sync() {
  std::string ref = "sync-" + std::to_string(++impl_->sync_counter);
  send(call_message("resume", kSyncCallId, ref));
  Impl& s = *impl_;
  return s.wait(kWait, [&] {
    for (auto it = s.queue.begin(); it != s.queue.end(); ++it) {
      if (it->type == "error" && it->text.find("\"" + ref + "\"") != std::string::npos) {
        s.queue.erase(it);
        return true;
      }
    }
    return s.closed;
  }) && !s.closed;
}

std::deque<Msg> WsClient::take_all() {
  std::lock_guard lock(impl_->mutex);
  std::deque<Msg> all;
  all.swap(impl_->queue);
  return all;
}

bool WsClient::has_queued(const std::string& type) {
  std::lock_guard lock(impl_->mutex);
  for (const Msg& m : impl_->queue)
    if (m.type == type) return true;
  return false;
}

bool WsClient::wait_closed(std::chrono::milliseconds wait) {
  return impl_->wait(wait, [this] { return impl_->closed; });
}

int WsClient::close_code() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->code;
}

std::string WsClient::close_reason() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->reason;
}

void WsClient::close() {
  std::error_code ec;
  if (open()) impl_->con->close(websocketpp::close::status::normal, "bye", ec);
}

std::unique_ptr<WsClient> connect_as(const std::string& token) {
  ClientOptions o;
  o.token = token;
  return std::make_unique<WsClient>(o);
}

std::string call_message(const std::string& type, const std::string& call_id,
                         const std::string& ref) {
  std::string text = R"({"type":")" + type + R"(","call_id":")" + call_id + "\"";
  if (!ref.empty()) text += R"(,"ref":")" + ref + "\"";
  return text + "}";
}

}  // namespace vc::test
