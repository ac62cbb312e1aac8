// The listener half of ws-daemon's websocketpp transport (stream_connection.h is the other):
// one acceptor on the loop, each accepted socket with TCP_NODELAY, and the TLS context when
// the daemon serves TLS itself. websocketpp's server role calls init, is_listening and
// async_accept by name (websocketpp/roles/server_endpoint.hpp).
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <memory>
#include <optional>
#include <websocketpp/error.hpp>
#include <websocketpp/transport/base/endpoint.hpp>

namespace vc::ws {

template <class Connection>
class StreamEndpoint {
 public:
  using transport_con_type = Connection;
  using transport_con_ptr = std::shared_ptr<Connection>;

  void init_asio(asio::io_context* loop) { loop_ = loop; }
  // Kept for the daemon's life; set before listen() when the daemon serves TLS.
  void use_tls(std::shared_ptr<asio::ssl::context> tls) { tls_ = std::move(tls); }
  bool is_secure() const { return Connection::kSecure; }

  void listen(const asio::ip::tcp::endpoint& where, std::error_code& ec) {
    acceptor_.emplace(*loop_);
    acceptor_->open(where.protocol(), ec);
    if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(where, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) acceptor_.reset();
  }

  // The pending accept ends with operation_canceled, which stops websocketpp's accept loop.
  void stop_listening(std::error_code& ec) {
    if (acceptor_) acceptor_->close(ec);
  }

  bool is_listening() const { return acceptor_ && acceptor_->is_open(); }

 protected:
  template <class AccessLog, class ErrorLog>
  void init_logging(const AccessLog&, const ErrorLog&) {}

  std::error_code init(transport_con_ptr con) {
    con->open_stream(*loop_, tls_.get());
    return {};
  }

  void async_accept(transport_con_ptr con, websocketpp::transport::accept_handler accepted,
                    std::error_code& ec) {
    if (!is_listening()) {
      ec = websocketpp::error::make_error_code(websocketpp::error::async_accept_not_listening);
      return;
    }
    acceptor_->async_accept(
        con->get_raw_socket(), [con, accepted = std::move(accepted)](const std::error_code& e) {
          if (e == asio::error::operation_aborted) {
            return accepted(
                websocketpp::error::make_error_code(websocketpp::error::operation_canceled));
          }
          // Signaling is many small messages (trickle ICE); without TCP_NODELAY a burst waits for
          // delayed ACKs (p999 of 8-message bursts: ~48 ms with Nagle, ~2.5 ms without; make
          // bench).
          std::error_code ignored;
          if (!e) con->get_raw_socket().set_option(asio::ip::tcp::no_delay(true), ignored);
          accepted(e);
        });
  }

 private:
  asio::io_context* loop_ = nullptr;
  std::shared_ptr<asio::ssl::context> tls_;
  std::optional<asio::ip::tcp::acceptor> acceptor_;
};

}  // namespace vc::ws
