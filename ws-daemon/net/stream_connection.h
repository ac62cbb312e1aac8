// The connection half of ws-daemon's websocketpp transport: a TCP socket, or a TLS stream over
// one, read and written on the one loop thread. It replaces websocketpp's Asio transport, which
// carries two fixed 1 KiB handler arenas, a shared socket and a strand pointer in every
// connection (2.4 KiB of an idle connection's 8.7 in bench/RESULTS.md); here an idle
// connection costs its socket and the one pending read, whose memory Asio recycles per thread.
// websocketpp calls these functions by name (websocketpp/transport/base/connection.hpp).
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>
#include <websocketpp/transport/asio/security/base.hpp>
#include <websocketpp/transport/base/connection.hpp>
#include <websocketpp/transport/base/endpoint.hpp>

namespace vc::ws {

using PlainStream = asio::ip::tcp::socket;
using TlsStream = asio::ssl::stream<asio::ip::tcp::socket>;

// A peer that neither finishes the TLS handshake nor answers our close_notify is cut off after
// this; the WebSocket handshake has its own timeout, which starts once TLS is up.
constexpr auto kTlsHandshakeTimeout = std::chrono::seconds(5);
constexpr auto kTlsShutdownTimeout = std::chrono::seconds(5);

template <class Stream>
class StreamConnection : public std::enable_shared_from_this<StreamConnection<Stream>> {
  static_assert(std::is_same_v<Stream, PlainStream> || std::is_same_v<Stream, TlsStream>);

 public:
  static constexpr bool kSecure = std::is_same_v<Stream, TlsStream>;
  using type = StreamConnection<Stream>;
  using ptr = std::shared_ptr<type>;
  using timer_ptr = std::shared_ptr<asio::steady_timer>;
  using init_handler = websocketpp::transport::init_handler;
  using read_handler = websocketpp::transport::read_handler;
  using write_handler = websocketpp::transport::write_handler;
  using shutdown_handler = websocketpp::transport::shutdown_handler;

  // websocketpp constructs it with its loggers; this transport logs nothing of its own.
  template <class AccessLog, class ErrorLog>
  StreamConnection(bool /*is_server*/, const AccessLog&, const ErrorLog&) {}

  // Called by the endpoint before the accept: the stream lives inside the connection.
  void open_stream(asio::io_context& loop, asio::ssl::context* tls) {
    loop_ = &loop;
    if constexpr (kSecure) {
      stream_.emplace(loop, *tls);
    } else {
      stream_.emplace(loop);
    }
  }

  asio::ip::tcp::socket& get_raw_socket() {
    if constexpr (kSecure) {
      return stream_->next_layer();
    } else {
      return *stream_;
    }
  }
  const asio::ip::tcp::socket& get_raw_socket() const {
    if constexpr (kSecure) {
      return stream_->next_layer();
    } else {
      return *stream_;
    }
  }

  ptr get_shared() { return this->shared_from_this(); }
  bool is_secure() const { return kSecure; }

  // For websocketpp's own log lines.
  std::string get_remote_endpoint() const {
    std::error_code ec;
    auto peer = get_raw_socket().remote_endpoint(ec);
    if (ec) return "Unknown";
    std::ostringstream text;
    text << peer;
    return text.str();
  }

  // websocketpp's handshake, close and pong timers: a cancelled timer reports operation_aborted.
  timer_ptr set_timer(long duration_ms, websocketpp::transport::timer_handler handler) {
    auto timer =
        std::make_shared<asio::steady_timer>(*loop_, std::chrono::milliseconds(duration_ms));
    timer->async_wait(
        [self = get_shared(), timer, handler = std::move(handler)](const std::error_code& ec) {
          if (ec == asio::error::operation_aborted) {
            handler(websocketpp::transport::error::make_error_code(
                websocketpp::transport::error::operation_aborted));
          } else {
            handler(ec);
          }
        });
    return timer;
  }

 protected:
  // Before the WebSocket handshake: the TLS handshake, under its deadline.
  void init(init_handler done) {
    if constexpr (!kSecure) {
      done(std::error_code());
    } else {
      race_deadline(kTlsHandshakeTimeout, std::move(done), [this](auto finish) {
        stream_->async_handshake(
            asio::ssl::stream_base::server, [finish](const std::error_code& ec) {
              finish(ec ? websocketpp::transport::asio::socket::make_error_code(
                              websocketpp::transport::asio::socket::error::tls_handshake_failed)
                        : std::error_code());
            });
      });
    }
  }

  void async_read_at_least(size_t at_least, char* buf, size_t len, read_handler handler) {
    asio::async_read(
        *stream_, asio::buffer(buf, len), asio::transfer_at_least(at_least),
        [self = get_shared(), handler = std::move(handler)](const std::error_code& ec, size_t n) {
          // websocketpp tells a clean end of stream from other errors by its own code.
          if (ec == asio::error::eof) {
            handler(
                websocketpp::transport::error::make_error_code(websocketpp::transport::error::eof),
                n);
          } else {
            handler(ec, n);
          }
        });
  }

  void async_write(const char* buf, size_t len, write_handler handler) {
    gather_.assign(1, asio::const_buffer(buf, len));
    write_gathered(std::move(handler));
  }

  // websocketpp's frames: header and payload of each queued message, written in one go.
  void async_write(const std::vector<websocketpp::transport::buffer>& bufs, write_handler handler) {
    gather_.clear();
    for (const auto& b : bufs) gather_.emplace_back(b.buf, b.len);
    write_gathered(std::move(handler));
  }

  void set_handle(websocketpp::connection_hdl) {}

  std::error_code dispatch(websocketpp::transport::dispatch_handler handler) {
    asio::post(*loop_, std::move(handler));
    return {};
  }

  std::error_code interrupt(websocketpp::transport::interrupt_handler handler) {
    asio::post(*loop_, std::move(handler));
    return {};
  }

  // After the closing handshake or on a failure: TCP shuts down at once; TLS sends its
  // close_notify and waits, under its deadline, for the peer's.
  void async_shutdown(shutdown_handler done) {
    if constexpr (!kSecure) {
      std::error_code ec;
      stream_->shutdown(asio::ip::tcp::socket::shutdown_both, ec);
      done(ec == asio::error::not_connected ? std::error_code() : ec);
    } else {
      race_deadline(kTlsShutdownTimeout, std::move(done),
                    [this](auto finish) { stream_->async_shutdown(finish); });
    }
  }

 private:
  void write_gathered(write_handler handler) {
    asio::async_write(
        *stream_, gather_,
        [self = get_shared(), handler = std::move(handler)](const std::error_code& ec, size_t) {
          self->gather_.clear();
          handler(ec ? websocketpp::transport::error::make_error_code(
                           websocketpp::transport::error::pass_through)
                     : std::error_code());
        });
  }

  // Runs a TLS step against a deadline: `done` is called once, with the step's result or, if
  // the deadline comes first, with a timeout after the socket's operations are cancelled.
  template <class Step>
  void race_deadline(std::chrono::seconds limit, init_handler done, Step step) {
    struct Race {
      explicit Race(asio::io_context& loop, init_handler d) : timer(loop), done(std::move(d)) {}
      asio::steady_timer timer;
      init_handler done;  // empty once called
    };
    auto race = std::make_shared<Race>(*loop_, std::move(done));
    race->timer.expires_after(limit);
    race->timer.async_wait([self = get_shared(), race](const std::error_code& ec) {
      if (ec || !race->done) return;
      std::error_code ignored;
      self->get_raw_socket().cancel(ignored);
      auto done = std::move(race->done);
      race->done = nullptr;
      done(websocketpp::transport::error::make_error_code(websocketpp::transport::error::timeout));
    });
    step([self = get_shared(), race](const std::error_code& ec) {
      race->timer.cancel();
      if (!race->done) return;
      auto done = std::move(race->done);
      race->done = nullptr;
      done(ec);
    });
  }

  asio::io_context* loop_ = nullptr;
  std::optional<Stream> stream_;
  std::vector<asio::const_buffer> gather_;  // the buffers of the write in flight
};

}  // namespace vc::ws
