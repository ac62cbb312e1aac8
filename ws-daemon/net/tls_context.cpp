#include "net/tls_context.h"

#include "log.h"

namespace vc::ws {

std::shared_ptr<asio::ssl::context> make_tls_context(const Config& config) {
  auto tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  try {
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    tls->use_certificate_chain_file(config.ws_tls_cert);
    tls->use_private_key_file(config.ws_tls_key, asio::ssl::context::pem);
  } catch (const std::exception& e) {
    log_event(LogLevel::error, "ws", "startup_failed",
              {{"error", std::string("TLS: ") + e.what()}});
    return nullptr;
  }
  return tls;
}

}  // namespace vc::ws
