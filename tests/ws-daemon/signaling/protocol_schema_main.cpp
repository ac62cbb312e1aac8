// Prints the signaling protocol as protocol.h declares it, as JSON, for the cross-check with
// public_html/js/messages.js and docs/PROTOCOL.md (tests/js/protocol_agreement.test.js):
// {"client": {type: {field: json type}}, "server": {...}, "nested": {type: {field: {...}}},
//  "errors": [codes]}. The fields come from the messages' own serialize functions.
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "json.h"
#include "json_archive.h"
#include "signaling/protocol.h"

namespace {

using namespace vc::ws;

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

// An archive that records each field's name and JSON type instead of its value.
class SchemaArchive {
 public:
  SchemaArchive(vc::JsonWriter& fields, vc::JsonWriter& nested)
      : fields_(fields), nested_(nested) {}

  template <class T>
  SchemaArchive& operator()(cereal::NameValuePair<T>&& field) {
    using V = std::decay_t<T>;
    if constexpr (IsOptional<V>::value) {
      // An optional field: its type with a trailing '?', as messages.js writes it.
      fields_.field(field.name, std::string(json_type<typename V::value_type>()) + "?");
      return *this;
    }
    fields_.field(field.name, json_type<V>());
    if constexpr (vc::IsSerializable<V>::value) {
      vc::JsonWriter inner_nested;  // nesting deeper than one level is not used by the protocol
      nested_.key(field.name);
      nested_.start_object();
      SchemaArchive inner(nested_, inner_nested);
      V value{};
      value.serialize(inner);
      nested_.end_object();
    }
    return *this;
  }

 private:
  template <class V>
  static const char* json_type() {
    if constexpr (std::is_same_v<V, std::string>)
      return "string";
    else if constexpr (std::is_same_v<V, bool>)
      return "boolean";
    else if constexpr (std::is_integral_v<V>)
      return "number";
    else if constexpr (vc::IsSerializable<V>::value)
      return "object";
    else
      return "array";
  }

  vc::JsonWriter& fields_;
  vc::JsonWriter& nested_;
};

template <class M>
void describe(vc::JsonWriter& fields, vc::JsonWriter& nested) {
  fields.key(M::kType);
  fields.start_object();
  nested.key(M::kType);
  nested.start_object();
  SchemaArchive ar(fields, nested);
  M message{};
  message.serialize(ar);
  fields.end_object();
  nested.end_object();
}

template <class... M>
std::string describe_all(std::string& nested_text, const std::tuple<M...>*) {
  vc::JsonWriter fields, nested;
  fields.start_object();
  nested.start_object();
  (describe<M>(fields, nested), ...);
  fields.end_object();
  nested.end_object();
  nested_text = nested.take();
  return fields.take();
}

}  // namespace

int main() {
  using ClientTypes =
      std::tuple<Invite, Accept, Decline, Cancel, Hangup, Sdp, Ice, Resume, Subscribe>;
  static_assert(std::variant_size_v<ClientMessage> == std::tuple_size_v<ClientTypes>,
                "every client message is listed here");
  std::string client_nested, server_nested;
  const std::string client = describe_all(client_nested, static_cast<ClientTypes*>(nullptr));
  const std::string server = describe_all(server_nested, static_cast<ServerMessageTypes*>(nullptr));
  vc::JsonWriter out;
  out.start_object();
  out.key("client");
  out.raw(client);
  out.key("server");
  out.raw(server);
  out.key("client_nested");
  out.raw(client_nested);
  out.key("server_nested");
  out.raw(server_nested);
  out.key("max_watched_users");
  out.value(static_cast<int64_t>(kMaxWatchedUsers));
  out.key("errors");
  out.start_array();
  for (const char* code : kErrorCodes) out.value(code);
  out.end_array();
  out.end_object();
  std::cout << out.take() << "\n";
}
