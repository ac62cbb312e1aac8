// The header of a server-to-client WebSocket text frame (RFC 6455 5.2): FIN, opcode 1, no mask,
// then the payload length in 7, 7+16 or 7+64 bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace vc::ws {

inline std::string text_frame_header(size_t payload_bytes) {
  std::string header(1, char(0x81));
  if (payload_bytes < 126) {
    header.push_back(char(payload_bytes));
    return header;
  }
  const int length_bytes = payload_bytes <= 0xFFFF ? 2 : 8;
  header.push_back(char(length_bytes == 2 ? 126 : 127));
  for (int i = length_bytes - 1; i >= 0; --i)
    header.push_back(char((uint64_t(payload_bytes) >> (8 * i)) & 0xFF));
  return header;
}

}  // namespace vc::ws
