// libFuzzer: the config parser must refuse or accept any text without crashing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto config = vc::parse_config(text);
  if (config) {
    // What parses must be usable: the derived defaults are in place.
    if (config->ws_allowed_origin.empty() && !config->public_origin.empty()) __builtin_trap();
  }
  return 0;
}
