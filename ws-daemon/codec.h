// Text frames <-> typed messages: the only place signaling JSON is parsed or written.
// Parsing never throws: every failure is an Error value with a wire code from protocol.h.
#pragma once

#include <algorithm>
#include <sstream>
#include <string>
#include <string_view>

#include "error.h"
#include "protocol.h"

namespace vc::ws {

struct ParsedMessage {
  std::string ref;  // the client's `ref`, echoed in the error reply; "" when absent or unusable
  Result<ClientMessage> message;
};

// Parse, then validate: strict JSON object, known `type`, every field present with its JSON
// type (cereal), then values (call id shape, sdp type, ranges).
ParsedMessage parse_client_message(std::string_view text, size_t max_bytes);

// The type name of a parsed message, for logs.
const char* message_type(const ClientMessage& message);

template <class T>
std::string encode(const T& message) {
  std::ostringstream out;
  {
    cereal::JSONOutputArchive ar(out, cereal::JSONOutputArchive::Options::NoIndent());
    std::string type = T::kType;
    ar(cereal::make_nvp("type", type));
    // cereal's serialize serves loading and saving; saving does not modify the message.
    const_cast<T&>(message).serialize(ar);
  }
  std::string text = out.str();
  // cereal always pretty-prints; a raw newline can only be layout (newlines inside strings are
  // escaped), so dropping them leaves the message on one line.
  text.erase(std::remove(text.begin(), text.end(), '\n'), text.end());
  return text;
}

std::string encode_error(const Error& error, const std::string& ref);

}  // namespace vc::ws
