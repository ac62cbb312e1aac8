// Parsing client messages: valid ones of every type, and every way a message can be wrong.
#include "signaling/codec.h"

#include <gtest/gtest.h>

using namespace vc::ws;

namespace {

const std::string kCallId = "0f8fad5b-d9cb-469f-a165-70867728950e";

ParsedMessage parse(const std::string& text) {
  return parse_client_message(text);
}

std::string error_code(const std::string& text) {
  auto p = parse(text);
  return p.message.ok() ? "ok" : p.message.error().code;
}

std::string error_message(const std::string& text) {
  auto p = parse(text);
  return p.message.ok() ? "ok" : p.message.error().message;
}

}  // namespace

TEST(Codec, ParsesInvite) {
  auto p = parse(R"({"type":"invite","to":42})");
  ASSERT_TRUE(p.message.ok()) << p.message.error().message;
  EXPECT_EQ(std::get<Invite>(*p.message).to, 42);
  EXPECT_EQ(p.ref, "");
}

TEST(Codec, ParsesSubscribeUpToTheCap) {
  auto p = parse(R"({"type":"subscribe","users":[3,1,3]})");
  ASSERT_TRUE(p.message.ok()) << p.message.error().message;
  EXPECT_EQ(std::get<Subscribe>(*p.message).users, (std::vector<int64_t>{3, 1, 3}));
  std::string full = R"({"type":"subscribe","users":[1)";
  for (size_t i = 2; i <= kMaxWatchedUsers; ++i) full += "," + std::to_string(i);
  EXPECT_EQ(error_code(full + "]}"), "ok");
  EXPECT_EQ(error_code(full + ",501]}"), kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":"subscribe","users":[]})"), "ok");
}

TEST(Codec, ParsesEveryCallIdMessage) {
  for (const char* type : {"accept", "decline", "cancel", "hangup", "resume"}) {
    auto p = parse(std::string(R"({"type":")") + type + R"(","call_id":")" + kCallId + R"("})");
    ASSERT_TRUE(p.message.ok()) << type << ": " << p.message.error().message;
    EXPECT_STREQ(message_type(*p.message), type);
  }
}

TEST(Codec, ParsesSdpWithFieldsInAnyOrder) {
  auto p = parse(R"({"description":{"sdp":"v=0\r\n","type":"offer"},"call_id":")" + kCallId +
                 R"(","type":"sdp","ref":"r1"})");
  ASSERT_TRUE(p.message.ok()) << p.message.error().message;
  const Sdp& sdp = std::get<Sdp>(*p.message);
  EXPECT_EQ(sdp.call_id, kCallId);
  EXPECT_EQ(sdp.description.type, "offer");
  EXPECT_EQ(sdp.description.sdp, "v=0\r\n");
  EXPECT_EQ(p.ref, "r1");
}

TEST(Codec, ParsesIceAndTheEndOfCandidatesMarker) {
  auto p = parse(
      R"({"type":"ice","call_id":")" + kCallId +
      R"(","candidate":{"candidate":"candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0}})");
  ASSERT_TRUE(p.message.ok()) << p.message.error().message;
  EXPECT_EQ(std::get<Ice>(*p.message).candidate.sdp_mid, "0");
  auto end = parse(R"({"type":"ice","call_id":")" + kCallId +
                   R"(","candidate":{"candidate":"","sdpMid":"0","sdpMLineIndex":0}})");
  EXPECT_TRUE(end.message.ok());
}

TEST(Codec, ExtraFieldsAreIgnored) {
  EXPECT_EQ(error_code(R"({"type":"invite","to":7,"extra":[1,2,3]})"), "ok");
}

TEST(Codec, MalformedJsonIsInvalidJson) {
  for (const char* text :
       {"", "{", "not json", R"({"type":"invite","to":1)", R"({"type":"invite"} x)",
        R"({"type":'invite'})", R"({"to":NaN,"type":"invite"})"})
    EXPECT_EQ(error_code(text), kErrInvalidJson) << text;
}

TEST(Codec, NonObjectsAreInvalidJson) {
  for (const char* text : {"[]", "[{\"type\":\"invite\"}]", "42", "\"invite\"", "null", "true"})
    EXPECT_EQ(error_code(text), kErrInvalidJson) << text;
}

TEST(Codec, MissingOrNonStringTypeIsInvalidFormat) {
  EXPECT_EQ(error_code(R"({"to":1})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":5,"to":1})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":null})"), kErrInvalidFormat);
}

TEST(Codec, UnknownTypeIsUnknownType) {
  EXPECT_EQ(error_code(R"({"type":"dance"})"), kErrUnknownType);
  // Server-to-client types are not accepted from clients.
  EXPECT_EQ(error_code(R"({"type":"hello"})"), kErrUnknownType);
  EXPECT_EQ(error_code(R"({"type":"Invite","to":1})"), kErrUnknownType);
}

TEST(Codec, MissingFieldsAreNamed) {
  EXPECT_EQ(error_code(R"({"type":"invite"})"), kErrInvalidFormat);
  EXPECT_EQ(error_message(R"({"type":"invite"})"), "to is required");
  EXPECT_EQ(error_message(R"({"type":"sdp","call_id":")" + kCallId +
                          R"(","description":{"type":"offer"}})"),
            "description.sdp is required");
}

TEST(Codec, WrongFieldTypesAreNamed) {
  EXPECT_EQ(error_message(R"({"type":"invite","to":"42"})"), "to has the wrong type");
  EXPECT_EQ(error_message(R"({"type":"invite","to":4.5})"), "to has the wrong type");
  EXPECT_EQ(error_message(R"({"type":"accept","call_id":12})"), "call_id has the wrong type");
  EXPECT_EQ(error_message(R"({"type":"sdp","call_id":")" + kCallId + R"(","description":"offer"})"),
            "description has the wrong type");
  EXPECT_EQ(error_message(R"({"type":"ice","call_id":")" + kCallId +
                          R"(","candidate":{"candidate":"c","sdpMid":0,"sdpMLineIndex":0}})"),
            "candidate.sdpMid has the wrong type");
}

TEST(Codec, BadValuesAreInvalidFormat) {
  EXPECT_EQ(error_code(R"({"type":"invite","to":0})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":"invite","to":-3})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":"subscribe","users":[1,0]})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":"subscribe","users":[1.5]})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":"subscribe","users":"1"})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":"subscribe"})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":"accept","call_id":"abc"})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":"accept","call_id":"0F8FAD5B-D9CB-469F-A165-70867728950E"})"),
            kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":"accept","call_id":"0f8fad5b_d9cb_469f_a165_70867728950e"})"),
            kErrInvalidFormat);
  const std::string sdp = R"({"type":"sdp","call_id":")" + kCallId + R"(","description":)";
  EXPECT_EQ(error_code(sdp + R"({"type":"bogus","sdp":"v=0"}})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(sdp + R"({"type":"offer","sdp":""}})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(sdp + R"({"type":"rollback","sdp":""}})"), "ok");
  const std::string ice = R"({"type":"ice","call_id":")" + kCallId + R"(","candidate":)";
  EXPECT_EQ(error_code(ice + R"({"candidate":"c","sdpMid":"0","sdpMLineIndex":-1}})"),
            kErrInvalidFormat);
  EXPECT_EQ(error_code(ice + R"({"candidate":"c","sdpMid":"0","sdpMLineIndex":65536}})"),
            kErrInvalidFormat);
  EXPECT_EQ(error_code(ice + R"({"candidate":"c","sdpMid":")" + std::string(65, 'm') +
                       R"(","sdpMLineIndex":0}})"),
            kErrInvalidFormat);
}

TEST(Codec, WhitespaceAroundAMessageIsStillAMessage) {
  std::string padded(64 * 1024, ' ');
  std::string msg = R"({"type":"invite","to":1})";
  padded.replace(0, msg.size(), msg);
  EXPECT_EQ(error_code(padded), "ok");
}

TEST(Codec, RefIsEchoedEvenWhenTheRestIsWrong) {
  auto p = parse(R"({"type":"accept","ref":"abc","call_id":1})");
  EXPECT_FALSE(p.message.ok());
  EXPECT_EQ(p.ref, "abc");
  EXPECT_EQ(parse(R"({"type":"nope","ref":"r"})").ref, "r");
}

TEST(Codec, BadRefIsInvalidFormat) {
  EXPECT_EQ(error_code(R"({"type":"invite","to":1,"ref":5})"), kErrInvalidFormat);
  EXPECT_EQ(error_code(R"({"type":"invite","to":1,"ref":")" + std::string(65, 'r') + R"("})"),
            kErrInvalidFormat);
}

namespace {

// The same JSON value, whatever the spacing and member order.
::testing::AssertionResult same_json(const std::string& text, const std::string& expected) {
  rapidjson::Document a, b;
  a.Parse(text.data(), text.size());
  b.Parse(expected.data(), expected.size());
  if (!a.HasParseError() && !b.HasParseError() && a == b) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << text << "\n  is not the same JSON as\n" << expected;
}

// Compact: one line, and no space between tokens.
bool compact(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  d.Accept(w);
  return !d.HasParseError() && text == b.GetString();
}

}  // namespace

TEST(Codec, EncodesCompactJsonWithTheTypeFirst) {
  const std::string presence = encode(Presence{{42, 43}, {}});
  EXPECT_TRUE(same_json(presence, R"({"type": "presence", "online": [42, 43], "offline": []})"));
  EXPECT_EQ(presence.rfind(R"({"type":"presence",)", 0), 0u) << presence;
  EXPECT_TRUE(compact(presence)) << presence;
  const std::string hello = encode(Hello{{7, "ann", "Ann"}});
  EXPECT_TRUE(same_json(
      hello, R"({"type": "hello", "user": {"id": 7, "username": "ann", "display_name": "Ann"}})"));
  EXPECT_TRUE(compact(hello)) << hello;
  EXPECT_TRUE(same_json(encode(AnsweredElsewhere{{kCallId}}),
                        R"({"type": "answered-elsewhere", "call_id": ")" + kCallId + R"("})"));
}

TEST(Codec, EncodesTheSameBufferAgainWithoutLeftovers) {
  // The writer's buffer is reused: a short message after a long one carries nothing of it.
  const std::string long_sdp(10000, 'x');
  Sdp sdp{kCallId, {"offer", long_sdp}};
  EXPECT_TRUE(compact(encode(sdp)));
  EXPECT_TRUE(same_json(encode(PeerResumed{{kCallId}}),
                        R"({"type": "peer-resumed", "call_id": ")" + kCallId + R"("})"));
}

TEST(Codec, EncodedStringsKeepNewlinesAndQuotesEscaped) {
  Sdp sdp{kCallId, {"offer", "v=0\r\no=- \"q\"\n"}};
  std::string text = encode(sdp);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  auto back = parse(text);
  ASSERT_TRUE(back.message.ok()) << back.message.error().message;
  EXPECT_EQ(std::get<Sdp>(*back.message).description.sdp, "v=0\r\no=- \"q\"\n");
}

TEST(Codec, ErrorsCarryCodeMessageAndRef) {
  EXPECT_TRUE(same_json(
      encode_error({kErrUnknownCall, "no such call"}, "r9"),
      R"({"type": "error", "code": "unknown_call", "message": "no such call", "ref": "r9"})"));
}

TEST(Codec, IceCandidatesKeepANullSdpMidAndTheirUsernameFragmentThroughTheRelay) {
  auto p = parse(
      R"({"type":"ice","call_id":")" + kCallId +
      R"(","candidate":{"candidate":"candidate:1 1 udp 1 10.0.0.1 5000 typ host","sdpMid":null,"sdpMLineIndex":1,"usernameFragment":"aBc1"}})");
  ASSERT_TRUE(p.message.ok()) << p.message.error().message;
  Ice& ice = std::get<Ice>(*p.message);
  EXPECT_FALSE(ice.candidate.sdp_mid);
  EXPECT_EQ(ice.candidate.username_fragment, "aBc1");
  EXPECT_TRUE(same_json(
      encode(ice),
      R"({"type":"ice","call_id":")" + kCallId +
          R"(","candidate":{"candidate":"candidate:1 1 udp 1 10.0.0.1 5000 typ host","sdpMid":null,"sdpMLineIndex":1,"usernameFragment":"aBc1"}})"));
  // Absent is null on the way out, as the browser's RTCIceCandidateInit has it.
  auto bare = parse(R"({"type":"ice","call_id":")" + kCallId +
                    R"(","candidate":{"candidate":"c","sdpMid":"0"}})");
  ASSERT_TRUE(bare.message.ok()) << bare.message.error().message;
  EXPECT_TRUE(same_json(
      encode(std::get<Ice>(*bare.message)),
      R"({"type":"ice","call_id":")" + kCallId +
          R"(","candidate":{"candidate":"c","sdpMid":"0","sdpMLineIndex":null,"usernameFragment":null}})"));
}

TEST(Codec, AnIceCandidateNeedsItsMediaSectionByIdOrIndex) {
  const std::string ice = R"({"type":"ice","call_id":")" + kCallId + R"(","candidate":)";
  EXPECT_EQ(error_message(ice + R"({"candidate":"c","sdpMid":null,"sdpMLineIndex":null}})"),
            "candidate.sdpMid or candidate.sdpMLineIndex is required");
  EXPECT_EQ(error_message(ice + R"({"candidate":"c"}})"),
            "candidate.sdpMid or candidate.sdpMLineIndex is required");
  EXPECT_EQ(error_code(ice + R"({"candidate":"c","sdpMLineIndex":0,"usernameFragment":")" +
                       std::string(257, 'u') + R"("}})"),
            kErrInvalidFormat);
  EXPECT_EQ(error_message(ice + R"({"candidate":"c","sdpMLineIndex":0,"usernameFragment":7}})"),
            "candidate.usernameFragment has the wrong type");
}
