// libFuzzer: signaling message parsing and the call state machine's dispatch. Nothing a client
// sends may crash the daemon, and an accepted message must encode back to valid JSON.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "signaling/call_state_machine.h"
#include "signaling/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vc::ws;
  FuzzedDataProvider in(data, size);
  auto state = static_cast<CallState>(in.ConsumeIntegralInRange<int>(0, 3));
  auto event = static_cast<CallEvent>(in.ConsumeIntegralInRange<int>(0, 12));
  auto actor = static_cast<Actor>(in.ConsumeIntegralInRange<int>(0, 5));
  auto step = next_state(state, event, actor);
  // An ended call stays ended.
  if (state == CallState::ended && step) __builtin_trap();
  // A check-only row never moves the call.
  if (step && !step->changes() && step->to != state) __builtin_trap();

  const std::string text = in.ConsumeRemainingBytesAsString();
  ParsedMessage parsed = parse_client_message(text);
  if (!parsed.message)
    (void)encode_error(parsed.message.error(), parsed.ref);
  else
    (void)message_type(parsed.message.value());
  return 0;
}
