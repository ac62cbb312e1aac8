// The signaling protocol: every message that crosses the WebSocket, declared once.
// Each message is a JSON object with a `type`; the fields below are serialised by cereal
// under exactly the names written here. docs/PROTOCOL.md describes the same messages for
// client authors. Validation beyond JSON types (lengths, ranges, enums) lives in codec.cpp.
#pragma once

#include <cereal/archives/json.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace vc::ws {

// ---- Error codes (`error.code`), stable on the wire -------------------------------------
inline constexpr const char* kErrInvalidJson = "invalid_json";  // not JSON, or not an object
inline constexpr const char* kErrInvalidFormat =
    "invalid_format";  // field missing, wrong type or value
inline constexpr const char* kErrUnknownType = "unknown_type";
inline constexpr const char* kErrMessageTooBig = "message_too_big";
inline constexpr const char* kErrUnknownCall = "unknown_call";  // no such call, or not yours
inline constexpr const char* kErrWrongState = "wrong_state";  // the call is not in a state for this
inline constexpr const char* kErrNotAllowed =
    "not_allowed";  // your role or connection may not do this
inline constexpr const char* kErrUnavailable = "unavailable";  // the callee has no open connection
inline constexpr const char* kErrAlreadyInCall = "already_in_call";
inline constexpr const char* kErrPeerNotConnected = "peer_not_connected";

// ---- Close codes ---------------------------------------------------------------------------
inline constexpr uint16_t kCloseNormal = 1000;
inline constexpr uint16_t kCloseGoingAway = 1001;  // the daemon is shutting down
inline constexpr uint16_t kClosePolicyViolation =
    1008;                                              // rate limit, garbage, too many connections
inline constexpr uint16_t kCloseMessageTooBig = 1009;  // over ws.max_message_bytes
// A client that does not read: its unsent data passed ws.max_send_buffer_bytes.
inline constexpr uint16_t kCloseSendBufferFull = 1008;
inline constexpr uint16_t kCloseSessionEnded = 4401;      // logged out, revoked or expired
inline constexpr uint16_t kCloseKeepaliveTimeout = 4408;  // no pong in time

inline constexpr size_t kCallIdChars = 36;  // a UUID in its text form
inline constexpr size_t kMaxRefChars = 64;

// A field that is missing or has the wrong JSON type; `path` names it ("description.sdp").
// The codec turns it into an `invalid_format` error.
struct FieldError : cereal::Exception {
  FieldError(std::string field_path, bool is_missing)
      : cereal::Exception(field_path + (is_missing ? " is required" : " has the wrong type")),
        path(std::move(field_path)),
        missing(is_missing) {}
  std::string path;
  bool missing;
};

// Every field is read and written by name through this, so that a load failure names the field.
// cereal reports a missing name with cereal::Exception and a wrong JSON type with
// RapidJSONException (rapidjson's assertions throw under cereal's configuration).
template <class Archive, class T>
void field(Archive& ar, const char* name, T& value) {
  try {
    ar(cereal::make_nvp(name, value));
  } catch (const FieldError& inner) {
    throw FieldError(std::string(name) + "." + inner.path, inner.missing);
  } catch (const cereal::RapidJSONException&) {
    throw FieldError(name, false);
  } catch (const cereal::Exception&) {
    throw FieldError(name, true);
  }
}

// ---- Parts -----------------------------------------------------------------------------------
struct UserInfo {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "id", id);
    field(ar, "username", username);
    field(ar, "display_name", display_name);
  }
};

// RTCSessionDescriptionInit.
struct SessionDescription {
  std::string type;  // offer | answer | pranswer | rollback
  std::string sdp;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "type", type);
    field(ar, "sdp", sdp);
  }
};

// RTCIceCandidateInit; an empty `candidate` is the end-of-candidates marker.
struct IceCandidate {
  std::string candidate;
  std::string sdp_mid;
  int64_t sdp_m_line_index = 0;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "candidate", candidate);
    field(ar, "sdpMid", sdp_mid);
    field(ar, "sdpMLineIndex", sdp_m_line_index);
  }
};

// A message that names one call and nothing else.
struct CallRef {
  std::string call_id;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "call_id", call_id);
  }
};

// ---- Client -> server ------------------------------------------------------------------------
struct Invite {
  static constexpr const char* kType = "invite";
  int64_t to = 0;  // the callee's user id
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "to", to);
  }
};
struct Accept : CallRef {
  static constexpr const char* kType = "accept";
};
struct Decline : CallRef {
  static constexpr const char* kType = "decline";
};
struct Cancel : CallRef {
  static constexpr const char* kType = "cancel";
};
struct Hangup : CallRef {
  static constexpr const char* kType = "hangup";
};
struct Resume : CallRef {
  static constexpr const char* kType = "resume";
};
// Relayed both ways with the same shape.
struct Sdp {
  static constexpr const char* kType = "sdp";
  std::string call_id;
  SessionDescription description;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "call_id", call_id);
    field(ar, "description", description);
  }
};
struct Ice {
  static constexpr const char* kType = "ice";
  std::string call_id;
  IceCandidate candidate;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "call_id", call_id);
    field(ar, "candidate", candidate);
  }
};

using ClientMessage = std::variant<Invite, Accept, Decline, Cancel, Hangup, Sdp, Ice, Resume>;

// ---- Server -> client ------------------------------------------------------------------------
struct Hello {
  static constexpr const char* kType = "hello";
  UserInfo user;
  std::vector<int64_t> online;  // other users with at least one open connection
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "user", user);
    field(ar, "online", online);
  }
};
struct Presence {
  static constexpr const char* kType = "presence";
  int64_t user_id = 0;
  bool online = false;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "user_id", user_id);
    field(ar, "online", online);
  }
};
struct Ringing {
  static constexpr const char* kType = "ringing";
  std::string call_id;
  int64_t callee_id = 0;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "call_id", call_id);
    field(ar, "callee_id", callee_id);
  }
};
struct Incoming {
  static constexpr const char* kType = "incoming";
  std::string call_id;
  UserInfo caller;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "call_id", call_id);
    field(ar, "caller", caller);
  }
};
// To both bound connections once the call is active.
struct Accepted {
  static constexpr const char* kType = "accepted";
  std::string call_id;
  int64_t peer_id = 0;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "call_id", call_id);
    field(ar, "peer_id", peer_id);
  }
};
struct Declined : CallRef {
  static constexpr const char* kType = "declined";
};
struct Cancelled : CallRef {
  static constexpr const char* kType = "cancelled";
};
struct Missed : CallRef {
  static constexpr const char* kType = "missed";
};
struct AnsweredElsewhere : CallRef {
  static constexpr const char* kType = "answered-elsewhere";
};
struct PeerResumed : CallRef {
  static constexpr const char* kType = "peer-resumed";
};
struct Busy {
  static constexpr const char* kType = "busy";
  std::string call_id;
  int64_t callee_id = 0;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "call_id", call_id);
    field(ar, "callee_id", callee_id);
  }
};
struct Ended {
  static constexpr const char* kType = "ended";
  std::string call_id;
  std::string reason;  // hangup | peer-gone
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "call_id", call_id);
    field(ar, "reason", reason);
  }
};
// Your invite met the peer's invite to you: the peer's call is kept and accepted from the
// connection that sent your invite (an `accepted` follows).
struct Glare {
  static constexpr const char* kType = "glare";
  std::string call_id;
  int64_t peer_id = 0;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "call_id", call_id);
    field(ar, "peer_id", peer_id);
  }
};
struct Resumed {
  static constexpr const char* kType = "resumed";
  std::string call_id;
  int64_t peer_id = 0;
  bool peer_connected = false;
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "call_id", call_id);
    field(ar, "peer_id", peer_id);
    field(ar, "peer_connected", peer_connected);
  }
};
struct ErrorMessage {
  static constexpr const char* kType = "error";
  std::string code;
  std::string message;
  std::string ref;  // the `ref` of the client message this answers, "" when it had none
  template <class Archive>
  void serialize(Archive& ar) {
    field(ar, "code", code);
    field(ar, "message", message);
    field(ar, "ref", ref);
  }
};

}  // namespace vc::ws
