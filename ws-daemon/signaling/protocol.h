// The signaling protocol: every message that crosses the WebSocket, declared once.
// Each message is a JSON object with a `type`; each serialize function names its fields with
// cereal::make_nvp, read and written under exactly those names by shared/json_archive.h.
// docs/PROTOCOL.md describes the same messages for client authors. Validation beyond JSON types
// (lengths, ranges, enums) lives in codec.cpp.
#pragma once

#include <cereal/cereal.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

namespace vc::ws {

// ---- Error codes (`error.code`), stable on the wire -------------------------------------
inline constexpr const char* kErrInvalidJson = "invalid_json";  // not JSON, or not an object
inline constexpr const char* kErrInvalidFormat =
    "invalid_format";  // field missing, wrong type or value
inline constexpr const char* kErrUnknownType = "unknown_type";
inline constexpr const char* kErrUnknownCall = "unknown_call";  // no such call, or not yours
inline constexpr const char* kErrWrongState = "wrong_state";  // the call is not in a state for this
inline constexpr const char* kErrNotAllowed =
    "not_allowed";  // your role or connection may not do this
inline constexpr const char* kErrUnavailable = "unavailable";  // the callee has no open connection
inline constexpr const char* kErrAlreadyInCall = "already_in_call";
inline constexpr const char* kErrPeerNotConnected = "peer_not_connected";
// the caller sent more early sdp/ice than a ringing call keeps
inline constexpr const char* kErrTooManySignals = "too_many_signals";
// All of them, in docs/PROTOCOL.md's order (the protocol cross-check reads this list).
inline constexpr const char* kErrorCodes[] = {
    kErrInvalidJson,      kErrInvalidFormat, kErrUnknownType, kErrUnknownCall,
    kErrWrongState,       kErrNotAllowed,    kErrUnavailable, kErrAlreadyInCall,
    kErrPeerNotConnected, kErrTooManySignals};

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
// How many users one connection may follow the presence of (its contacts and the search
// results on screen).
inline constexpr size_t kMaxWatchedUsers = 500;

// ---- Parts -----------------------------------------------------------------------------------
struct UserInfo {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("id", id));
    ar(cereal::make_nvp("username", username));
    ar(cereal::make_nvp("display_name", display_name));
  }
};

// RTCSessionDescriptionInit.
struct SessionDescription {
  std::string type;  // offer | answer | pranswer | rollback
  std::string sdp;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("type", type));
    ar(cereal::make_nvp("sdp", sdp));
  }
};

// RTCIceCandidateInit; an empty `candidate` is the end-of-candidates marker.
// As the browser's RTCIceCandidateInit: sdpMid or sdpMLineIndex may be null (not both), and
// usernameFragment says which ICE generation the candidate belongs to (after a restart).
struct IceCandidate {
  std::string candidate;
  std::optional<std::string> sdp_mid;
  std::optional<int64_t> sdp_m_line_index;
  std::optional<std::string> username_fragment;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("candidate", candidate));
    ar(cereal::make_nvp("sdpMid", sdp_mid));
    ar(cereal::make_nvp("sdpMLineIndex", sdp_m_line_index));
    ar(cereal::make_nvp("usernameFragment", username_fragment));
  }
};

// A message that names one call and nothing else.
struct CallRef {
  std::string call_id;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("call_id", call_id));
  }
};

// ---- Client -> server ------------------------------------------------------------------------
struct Invite {
  static constexpr const char* kType = "invite";
  int64_t to = 0;  // the callee's user id
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("to", to));
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
    ar(cereal::make_nvp("call_id", call_id));
    ar(cereal::make_nvp("description", description));
  }
};
struct Ice {
  static constexpr const char* kType = "ice";
  std::string call_id;
  IceCandidate candidate;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("call_id", call_id));
    ar(cereal::make_nvp("candidate", candidate));
  }
};

// Replaces the set of users this connection follows the presence of; answered with a
// `presence` that gives the state of each of them.
struct Subscribe {
  static constexpr const char* kType = "subscribe";
  std::vector<int64_t> users;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("users", users));
  }
};

using ClientMessage =
    std::variant<Invite, Accept, Decline, Cancel, Hangup, Sdp, Ice, Resume, Subscribe>;

// ---- Server -> client ------------------------------------------------------------------------
struct Hello {
  static constexpr const char* kType = "hello";
  UserInfo user;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("user", user));
  }
};
// Followed users who are online (at least one open connection) and who are not: the whole
// state in answer to a `subscribe`, then only the users whose state changed.
struct Presence {
  static constexpr const char* kType = "presence";
  std::vector<int64_t> online;
  std::vector<int64_t> offline;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("online", online));
    ar(cereal::make_nvp("offline", offline));
  }
};
struct Ringing {
  static constexpr const char* kType = "ringing";
  std::string call_id;
  int64_t callee_id = 0;
  std::string ref;  // the invite's `ref` ("" when it had none)
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("call_id", call_id));
    ar(cereal::make_nvp("callee_id", callee_id));
    ar(cereal::make_nvp("ref", ref));
  }
};
struct Incoming {
  static constexpr const char* kType = "incoming";
  std::string call_id;
  UserInfo caller;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("call_id", call_id));
    ar(cereal::make_nvp("caller", caller));
  }
};
// To both bound connections once the call is active.
struct Accepted {
  static constexpr const char* kType = "accepted";
  std::string call_id;
  int64_t peer_id = 0;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("call_id", call_id));
    ar(cereal::make_nvp("peer_id", peer_id));
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
  std::string ref;  // the invite's `ref` ("" when it had none)
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("call_id", call_id));
    ar(cereal::make_nvp("callee_id", callee_id));
    ar(cereal::make_nvp("ref", ref));
  }
};
struct Ended {
  static constexpr const char* kType = "ended";
  std::string call_id;
  std::string reason;  // hangup | peer-gone
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("call_id", call_id));
    ar(cereal::make_nvp("reason", reason));
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
    ar(cereal::make_nvp("call_id", call_id));
    ar(cereal::make_nvp("peer_id", peer_id));
  }
};
struct Resumed {
  static constexpr const char* kType = "resumed";
  std::string call_id;
  int64_t peer_id = 0;
  bool peer_connected = false;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("call_id", call_id));
    ar(cereal::make_nvp("peer_id", peer_id));
    ar(cereal::make_nvp("peer_connected", peer_connected));
  }
};
struct ErrorMessage {
  static constexpr const char* kType = "error";
  std::string code;
  std::string message;
  std::string ref;  // the `ref` of the client message this answers, "" when it had none
  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("code", code));
    ar(cereal::make_nvp("message", message));
    ar(cereal::make_nvp("ref", ref));
  }
};

// Every message the daemon sends (the protocol cross-check walks this list).
using ServerMessageTypes =
    std::tuple<Hello, Presence, Ringing, Incoming, Accepted, AnsweredElsewhere, Declined, Cancelled,
               Missed, Busy, Glare, Ended, Sdp, Ice, Resumed, PeerResumed, ErrorMessage>;

}  // namespace vc::ws
