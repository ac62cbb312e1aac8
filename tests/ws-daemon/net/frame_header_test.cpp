// The frame header that net/sender.h writes for websocketpp, checked against RFC 6455's
// examples and its length boundaries.
#include "net/frame_header.h"

#include <gtest/gtest.h>

using vc::ws::text_frame_header;

TEST(TextFrameHeader, ShortPayloadsHaveTheLengthInTheSecondByte) {
  EXPECT_EQ(text_frame_header(0), std::string("\x81\x00", 2));
  EXPECT_EQ(text_frame_header(5), std::string("\x81\x05", 2));  // RFC 6455 5.7 "Hello"
  EXPECT_EQ(text_frame_header(125), std::string("\x81\x7d", 2));
}

TEST(TextFrameHeader, From126BytesTheLengthTakesTwoMoreBytes) {
  EXPECT_EQ(text_frame_header(126), std::string("\x81\x7e\x00\x7e", 4));
  EXPECT_EQ(text_frame_header(256), std::string("\x81\x7e\x01\x00", 4));  // RFC 6455 5.7
  EXPECT_EQ(text_frame_header(65535), std::string("\x81\x7e\xff\xff", 4));
}

TEST(TextFrameHeader, From64KiBTheLengthTakesEightMoreBytes) {
  EXPECT_EQ(text_frame_header(65536), std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
}
