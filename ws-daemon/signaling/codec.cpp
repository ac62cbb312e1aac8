#include "signaling/codec.h"

#include <map>
#include <string>

namespace vc::ws {
namespace {

constexpr size_t kMaxSdpMidChars = 64;
constexpr int64_t kMaxMLineIndex = 65535;
constexpr size_t kMaxUsernameFragmentChars = 256;  // RFC 8839: 4 to 256 characters

Error invalid(const std::string& message) {
  return Error{kErrInvalidFormat, message};
}

bool is_call_id(const std::string& id) {
  if (id.size() != kCallIdChars) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = id[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status check_call_id(const std::string& id) {
  if (!is_call_id(id)) return invalid("call_id must be a call id (36 lower-case hex and dashes)");
  return std::nullopt;
}

// Value checks, one per message type; JSON types were already checked by cereal.
Status validate(const Invite& m) {
  if (m.to <= 0) return invalid("to must be a user id");
  return std::nullopt;
}
Status validate(const CallRef& m) {
  return check_call_id(m.call_id);
}
Status validate(const Sdp& m) {
  if (auto err = check_call_id(m.call_id)) return err;
  const std::string& type = m.description.type;
  if (type != "offer" && type != "answer" && type != "pranswer" && type != "rollback")
    return invalid("description.type must be offer, answer, pranswer or rollback");
  if (type != "rollback" && m.description.sdp.empty())
    return invalid("description.sdp must not be empty unless it is a rollback");
  return std::nullopt;
}
Status validate(const Ice& m) {
  if (auto err = check_call_id(m.call_id)) return err;
  const IceCandidate& c = m.candidate;
  if (!c.sdp_mid && !c.sdp_m_line_index)
    return invalid("candidate.sdpMid or candidate.sdpMLineIndex is required");
  if (c.sdp_mid && c.sdp_mid->size() > kMaxSdpMidChars)
    return invalid("candidate.sdpMid must be at most 64 characters");
  if (c.sdp_m_line_index && (*c.sdp_m_line_index < 0 || *c.sdp_m_line_index > kMaxMLineIndex))
    return invalid("candidate.sdpMLineIndex must be between 0 and 65535");
  if (c.username_fragment && c.username_fragment->size() > kMaxUsernameFragmentChars)
    return invalid("candidate.usernameFragment must be at most 256 characters");
  return std::nullopt;
}

Status validate(const Subscribe& m) {
  if (m.users.size() > kMaxWatchedUsers)
    return invalid("users must list at most " + std::to_string(kMaxWatchedUsers) + " user ids");
  for (int64_t id : m.users)
    if (id <= 0) return invalid("users must list user ids (integers > 0)");
  return std::nullopt;
}

template <class T>
Result<ClientMessage> load(const rapidjson::Value& object) {
  T message;
  JsonLoadArchive ar(object);
  message.serialize(ar);
  if (!ar.ok()) return invalid(ar.error());
  if (auto err = validate(message)) return *err;
  return ClientMessage{std::move(message)};
}

using Loader = Result<ClientMessage> (*)(const rapidjson::Value&);

template <class T>
std::pair<const std::string, Loader> entry() {
  return {T::kType, &load<T>};
}

const std::map<std::string, Loader, std::less<>>& loaders() {
  static const std::map<std::string, Loader, std::less<>> table = {
      entry<Invite>(), entry<Accept>(), entry<Decline>(), entry<Cancel>(),    entry<Hangup>(),
      entry<Sdp>(),    entry<Ice>(),    entry<Resume>(),  entry<Subscribe>(),
  };
  return table;
}

}  // namespace

ParsedMessage parse_client_message(std::string_view text) {
  // The one parse: strict JSON (no NaN, nothing after the value), with a clear error for each
  // way it can be wrong; UTF-8 was checked at the edge, where websocketpp closes a text frame
  // that is not UTF-8 with 1007. The message's fields are then read from this document.
  // Its values and its parse stack live in buffers of this thread, reused by every message
  // (rapidjson would otherwise take 64 KiB and a stack from malloc for each one); a message
  // that needs more spills over onto the heap.
  using Pool = rapidjson::MemoryPoolAllocator<>;
  alignas(8) thread_local char value_space[16 * 1024];
  alignas(8) thread_local char stack_space[4 * 1024];
  Pool values(value_space, sizeof value_space);
  Pool stack(stack_space, sizeof stack_space);
  rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool> doc(&values, 1024, &stack);
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError())
    return {"", Error{kErrInvalidJson, std::string("malformed JSON: ") +
                                           rapidjson::GetParseError_En(doc.GetParseError())}};
  if (!doc.IsObject()) return {"", Error{kErrInvalidJson, "a message must be a JSON object"}};

  std::string ref;
  if (auto it = doc.FindMember("ref"); it != doc.MemberEnd()) {
    if (!it->value.IsString() || it->value.GetStringLength() > kMaxRefChars)
      return {"", invalid("ref must be a string of at most 64 characters")};
    ref.assign(it->value.GetString(), it->value.GetStringLength());
  }
  auto type = doc.FindMember("type");
  if (type == doc.MemberEnd() || !type->value.IsString())
    return {ref, invalid("type is required and must be a string")};
  auto loader =
      loaders().find(std::string_view(type->value.GetString(), type->value.GetStringLength()));
  if (loader == loaders().end()) return {ref, Error{kErrUnknownType, "unknown message type"}};
  return {ref, loader->second(doc)};
}

const char* message_type(const ClientMessage& message) {
  return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::kType; }, message);
}

std::string encode_error(const Error& error, const std::string& ref) {
  return encode(ErrorMessage{error.code, error.message, ref});
}

}  // namespace vc::ws
