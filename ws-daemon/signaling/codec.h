// Text frames <-> typed messages: the only place signaling JSON is parsed or written.
// Parsing never throws: every failure is an Error value with a wire code from protocol.h.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

#include "error.h"
#include "json_archive.h"
#include "signaling/protocol.h"

namespace vc::ws {

struct ParsedMessage {
  std::string ref;  // the client's `ref`, echoed in the error reply; "" when absent or unusable
  Result<ClientMessage> message;
};

// Parse once, then validate: strict JSON object, known `type`, every field present with its
// JSON type (the message's serialize function over the parsed document), then values (call id
// shape, sdp type, ranges).
// The size limit is not checked here: net/ refuses an over-long frame before it is parsed.
ParsedMessage parse_client_message(std::string_view text);

// The type name of a parsed message, for logs.
const char* message_type(const ClientMessage& message);

// One compact JSON object, written in one pass: {"type": T::kType, ...the fields}. Takes the
// message as a non-const reference (or a temporary), as serialize() serves loading too.
template <class T>
std::string encode(T&& message) {
  // One buffer for the thread, reused: it keeps its capacity from one message to the next.
  thread_local rapidjson::StringBuffer buffer;
  buffer.Clear();
  JsonSaveArchive::Writer writer(buffer);
  writer.StartObject();
  writer.Key("type");
  writer.String(std::decay_t<T>::kType);
  JsonSaveArchive ar(writer);
  message.serialize(ar);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string encode_error(const Error& error, const std::string& ref);

}  // namespace vc::ws
