#include "ws_conn.h"

#include <fcntl.h>
#include <netinet/in.h>

#include <cstring>
#include <random>

namespace vc::bench {
namespace {

constexpr int kOpText = 0x1;
constexpr int kOpContinuation = 0x0;
constexpr int kOpClose = 0x8;
constexpr int kOpPing = 0x9;
constexpr int kOpPong = 0xA;
constexpr size_t kReadChunk = 4096;
// A reply to the upgrade longer than this is not one we can use.
constexpr size_t kMaxResponseHeader = 16 * 1024;

std::string random_key() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string key;
  for (int i = 0; i < 21; ++i) key += kB64[rng() % 64];
  return key + "A==";  // 16 bytes in base64: 22 characters and padding
}

uint32_t next_mask(uint32_t& s) {
  // xorshift32: the mask only has to vary, not to be secret, in a benchmark.
  s ^= s << 13;
  s ^= s >> 17;
  s ^= s << 5;
  return s;
}

}  // namespace

WsConn::WsConn(asio::io_context& io, WsListener& listener, int tag)
    : socket_(io), listener_(listener), tag_(tag), mask_seed_(0x9E3779B9u ^ uint32_t(tag)) {
  if (mask_seed_ == 0) mask_seed_ = 1;
}

void WsConn::start(const WsTarget& target, const asio::ip::address& source,
                   const std::string& cookie) {
  state_ = State::connecting;
  request_ = "GET /ws HTTP/1.1\r\nHost: " + target.host_header +
             "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
             "Sec-WebSocket-Key: " +
             random_key() + "\r\n";
  if (!target.origin.empty()) request_ += "Origin: " + target.origin + "\r\n";
  if (!cookie.empty()) request_ += "Cookie: " + cookie + "\r\n";
  request_ += "\r\n";
  std::error_code ec;
  socket_.open(target.server.protocol(), ec);
  // The port is picked at connect time, per destination: many sources, no port exhaustion.
  if (!ec) {
    // Not inherited by what --restart-cmd starts: a restarted ws-daemon would hold every client
    // socket open (CLOSE-WAIT) and run out of descriptors.
    ::fcntl(socket_.native_handle(), F_SETFD, FD_CLOEXEC);
    int one = 1;
    ::setsockopt(socket_.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    socket_.bind(asio::ip::tcp::endpoint(source, 0), ec);
  }
  if (ec) return fail(0);
  socket_.async_connect(target.server, [self = shared_from_this()](const std::error_code& e) {
    self->on_connected(e);
  });
}

void WsConn::on_connected(const std::error_code& ec) {
  if (ec) return fail(0);
  socket_.set_option(asio::ip::tcp::no_delay(true));
  asio::async_write(socket_, asio::buffer(request_),
                    [self = shared_from_this()](const std::error_code& e, size_t) {
                      if (e) self->fail(0);
                    });
  do_read();
}

void WsConn::do_read() {
  if (in_.size() - in_len_ < kReadChunk) in_.resize(in_len_ + kReadChunk);
  socket_.async_read_some(
      asio::buffer(in_.data() + in_len_, in_.size() - in_len_),
      [self = shared_from_this()](const std::error_code& ec, size_t n) { self->on_read(ec, n); });
}

void WsConn::on_read(const std::error_code& ec, size_t n) {
  if (ec) return state_ == State::connecting ? fail(0) : lost();
  in_len_ += n;
  if (state_ == State::connecting && !parse_upgrade_response()) {
    if (state_ == State::connecting) do_read();  // the header is not complete yet
    return;
  }
  parse_frames();
  if (socket_.is_open()) do_read();
}

// True once the response header is in and was a 101; consumes it.
bool WsConn::parse_upgrade_response() {
  std::string_view head(in_.data(), in_len_);
  size_t end = head.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (in_len_ > kMaxResponseHeader) fail(0);
    return false;
  }
  int status = 0;
  if (head.size() > 12 && head.substr(0, 9) == "HTTP/1.1 ") status = std::atoi(head.data() + 9);
  if (status != 101) {
    fail(status);
    return false;
  }
  const size_t used = end + 4;
  std::memmove(in_.data(), in_.data() + used, in_len_ - used);
  in_len_ -= used;
  state_ = State::open;
  request_.clear();
  request_.shrink_to_fit();
  listener_.on_open(*this);
  return true;
}

void WsConn::parse_frames() {
  size_t pos = 0;
  while (socket_.is_open() && in_len_ - pos >= 2) {
    const auto* p = reinterpret_cast<const unsigned char*>(in_.data() + pos);
    const size_t avail = in_len_ - pos;
    const bool fin = p[0] & 0x80;
    const int opcode = p[0] & 0x0F;
    const bool masked = p[1] & 0x80;
    uint64_t len = p[1] & 0x7F;
    size_t header = 2;
    if (len == 126) {
      if (avail < 4) break;
      len = (uint64_t(p[2]) << 8) | p[3];
      header = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
      header = 10;
    }
    const size_t mask_at = header;
    if (masked) header += 4;  // servers do not mask, but a frame that is masked still parses
    if (avail < header + len) {
      // Room for the whole frame, so that the next read can complete it.
      if (in_.size() < pos + header + len) in_.resize(pos + header + len + kReadChunk);
      break;
    }
    char* payload = in_.data() + pos + header;
    if (masked)
      for (uint64_t i = 0; i < len; ++i) payload[i] ^= p[mask_at + (i & 3)];
    on_frame(opcode, fin, std::string_view(payload, size_t(len)));
    pos += header + size_t(len);
  }
  if (pos > 0) {
    std::memmove(in_.data(), in_.data() + pos, in_len_ - pos);
    in_len_ -= pos;
  }
}

void WsConn::on_frame(int opcode, bool fin, std::string_view payload) {
  switch (opcode) {
    case kOpText:
      if (fin) return listener_.on_text(*this, payload);
      fragments_.assign(payload);
      return;
    case kOpContinuation:
      fragments_.append(payload);
      if (fin) {
        std::string whole;
        whole.swap(fragments_);
        listener_.on_text(*this, whole);
      }
      return;
    case kOpPing:
      return queue_frame(kOpPong, payload);
    case kOpClose:
      if (!close_sent_) {
        close_sent_ = true;
        queue_frame(kOpClose, payload.substr(0, 2));
      }
      state_ = State::closing;
      // The server closes the TCP connection after the closing handshake; a read error follows.
      return;
    default:
      return;  // pong, binary: not used by signaling
  }
}

void WsConn::send_text(std::string_view text) {
  if (state_ != State::open) return;
  queue_frame(kOpText, text);
}

void WsConn::close() {
  if (state_ == State::connecting) return abort();
  if (state_ != State::open) return;
  state_ = State::closing;
  close_sent_ = true;
  const char code[2] = {char(1000 >> 8), char(1000 & 0xFF)};
  queue_frame(kOpClose, std::string_view(code, 2));
}

void WsConn::abort() {
  if (state_ == State::closed) return;
  finish();
}

void WsConn::queue_frame(int opcode, std::string_view payload) {
  unsigned char head[14];
  size_t n = 0;
  head[n++] = 0x80 | opcode;
  if (payload.size() < 126) {
    head[n++] = 0x80 | uint8_t(payload.size());
  } else if (payload.size() <= 0xFFFF) {
    head[n++] = 0x80 | 126;
    head[n++] = uint8_t(payload.size() >> 8);
    head[n++] = uint8_t(payload.size());
  } else {
    head[n++] = 0x80 | 127;
    for (int i = 7; i >= 0; --i) head[n++] = uint8_t(uint64_t(payload.size()) >> (8 * i));
  }
  const uint32_t mask = next_mask(mask_seed_);
  unsigned char m[4] = {uint8_t(mask >> 24), uint8_t(mask >> 16), uint8_t(mask >> 8),
                        uint8_t(mask)};
  std::memcpy(head + n, m, 4);
  n += 4;
  out_.append(reinterpret_cast<const char*>(head), n);
  const size_t at = out_.size();
  out_.append(payload);
  for (size_t i = 0; i < payload.size(); ++i) out_[at + i] ^= char(m[i & 3]);
  if (!write_in_flight_) do_write();
}

void WsConn::do_write() {
  if (out_.empty() || !socket_.is_open()) return;
  writing_.swap(out_);
  out_.clear();
  write_in_flight_ = true;
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](const std::error_code& ec, size_t) {
                      self->write_in_flight_ = false;
                      self->writing_.clear();
                      if (ec) return;  // the read side reports the failure
                      self->do_write();
                    });
}

void WsConn::fail(int status) {
  finish();
  if (reported_) return;
  reported_ = true;
  listener_.on_refused(*this, status);
}

void WsConn::lost() {
  finish();
  if (reported_) return;
  reported_ = true;
  listener_.on_closed(*this);
}

void WsConn::finish() {
  state_ = State::closed;
  std::error_code ignored;
  socket_.close(ignored);
}

}  // namespace vc::bench
