// The pooled message manager: a message let go of comes back for the next frame, reset, with
// its payload buffer; a large payload buffer is not kept.
#include "net/message_pool.h"

#include <gtest/gtest.h>

#include <websocketpp/message_buffer/message.hpp>

using Message = websocketpp::message_buffer::message<vc::ws::PooledMessages>;
using Pool = vc::ws::PooledMessages<Message>;
using websocketpp::frame::opcode::binary;
using websocketpp::frame::opcode::text;

TEST(MessagePool, AMessageLetGoOfComesBackResetWithItsBuffer) {
  auto pool = std::make_shared<Pool>();
  auto first = pool->get_message(text, 300);
  first->set_header("\x81\x05");
  first->append_payload(std::string(300, 'x'));
  first->set_prepared(true);
  first->set_terminal(true);
  const Message* address = first.get();
  const char* buffer = first->get_payload().data();
  first.reset();

  auto second = pool->get_message(binary, 10);
  EXPECT_EQ(second.get(), address);
  EXPECT_EQ(second->get_payload().data(), buffer);  // no new allocation for the payload
  EXPECT_TRUE(second->get_payload().empty());
  EXPECT_TRUE(second->get_header().empty());
  EXPECT_EQ(second->get_opcode(), binary);
  EXPECT_FALSE(second->get_prepared());
  EXPECT_FALSE(second->get_terminal());
  EXPECT_TRUE(second->get_fin());
}

TEST(MessagePool, MessagesInUseAreNeverHandedOutTwice) {
  auto pool = std::make_shared<Pool>();
  auto a = pool->get_message(text, 10);
  auto b = pool->get_message(text, 10);
  EXPECT_NE(a.get(), b.get());
}

TEST(MessagePool, ALargePayloadBufferIsFreedNotKept) {
  auto pool = std::make_shared<Pool>();
  auto big = pool->get_message(text, 0);
  big->append_payload(std::string(vc::ws::kPooledPayloadBytes * 4, 'x'));
  big.reset();
  auto next = pool->get_message(text, 0);
  EXPECT_LE(next->get_payload().capacity(), vc::ws::kPooledPayloadBytes);
}
