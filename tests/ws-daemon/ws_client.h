// A real WebSocket client for the integration tests: websocketpp with TLS, through nginx at
// wss://localhost:PORT/ws, verifying the stack's certificate. Each client runs its own Asio
// thread; the test thread waits for messages with bounded waits, never fixed sleeps.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vc::test {

// Long enough for a loaded machine and the sanitizer build; waits end as soon as the event comes.
constexpr auto kWait = std::chrono::seconds(10);

// One received message, with typed field access (the test fails loudly on a missing field).
struct Msg {
  std::string type;
  std::string text;
  std::string str(const char* field) const;
  int64_t num(const char* field) const;
  bool flag(const char* field) const;
  std::string object(const char* field) const;  // nested object as JSON text
  std::string nested_str(const char* object, const char* field) const;
  int64_t nested_num(const char* object, const char* field) const;
  std::vector<int64_t> ids(const char* field) const;  // an array of user ids
};

struct ClientOptions {
  std::string origin;      // default: the stack's origin
  std::string token;       // __Host-session cookie; "" sends no cookie
  std::string raw_cookie;  // a whole Cookie header instead of `token`
  bool answer_pings = true;
  int port = 0;  // 0: nginx's TLS port; else straight to the daemon
};

class WsClient {
 public:
  // Connects and waits for the handshake's outcome: open, or refused with an HTTP status.
  explicit WsClient(const ClientOptions& options);
  ~WsClient();
  WsClient(const WsClient&) = delete;

  bool open() const;
  int refused_status() const;  // the HTTP status of a refused handshake, 0 otherwise

  void send(const std::string& text);
  void send_binary(const std::string& bytes);
  // A text frame of any bytes (under 126), framed here: websocketpp would refuse to send text
  // that is not UTF-8.
  void send_unchecked_text(const std::string& bytes);
  // The first message of `type` received (waiting up to `wait`); messages of other types stay
  // queued for later calls. nullopt on timeout or close.
  std::optional<Msg> next(const std::string& type, std::chrono::milliseconds wait = kWait);
  // Sends a message that always answers with an error (and changes nothing), and waits for it:
  // afterwards, everything the server sent this client before is in the queue.
  bool sync();
  // Messages queued so far (after sync(): all the server sent), other than sync answers.
  std::deque<Msg> take_all();
  bool has_queued(const std::string& type);

  bool wait_closed(std::chrono::milliseconds wait = kWait);
  int close_code() const;  // the code the server sent (or 1006 when the socket just dropped)
  std::string close_reason() const;
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Short helpers for the usual shapes.
std::unique_ptr<WsClient> connect_as(const std::string& token);
std::string call_message(const std::string& type, const std::string& call_id,
                         const std::string& ref = "");

}  // namespace vc::test
