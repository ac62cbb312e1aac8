#include "signaling/presence_watch.h"

#include <gtest/gtest.h>

#include <set>

using namespace vc::ws;

namespace {

using Ids = std::vector<int64_t>;

class PresenceWatchTest : public ::testing::Test {
 protected:
  std::vector<std::pair<ConnId, Presence>> take() {
    return watch_.take_changes([this](int64_t u) { return online_.count(u) > 0; });
  }
  void comes_online(int64_t user) {
    online_.insert(user);
    watch_.changed(user, false);
  }
  void goes_offline(int64_t user) {
    online_.erase(user);
    watch_.changed(user, true);
  }

  PresenceWatch watch_;
  std::set<int64_t> online_;
};

}  // namespace

TEST_F(PresenceWatchTest, FollowKeepsEachUserOnceAndSorted) {
  watch_.follow(1, {30, 10, 30, 20});
  EXPECT_EQ(watch_.followed_by(1), (Ids{10, 20, 30}));
  EXPECT_EQ(watch_.followers(30), (std::vector<ConnId>{1}));
}

TEST_F(PresenceWatchTest, FollowReplacesTheEarlierList) {
  watch_.follow(1, {10, 20});
  watch_.follow(1, {20, 30});
  EXPECT_TRUE(watch_.followers(10).empty());
  EXPECT_EQ(watch_.followers(20), (std::vector<ConnId>{1}));
  EXPECT_EQ(watch_.followed_by(1), (Ids{20, 30}));
}

TEST_F(PresenceWatchTest, ForgetDropsTheConnectionFromEveryList) {
  watch_.follow(1, {10, 20});
  watch_.follow(2, {10});
  watch_.forget(1);
  EXPECT_EQ(watch_.followers(10), (std::vector<ConnId>{2}));
  EXPECT_TRUE(watch_.followers(20).empty());
  EXPECT_TRUE(watch_.followed_by(1).empty());
  watch_.forget(1);  // twice is harmless
}

TEST_F(PresenceWatchTest, AChangeReachesOnlyTheFollowersOfThatUser) {
  watch_.follow(1, {10});
  watch_.follow(2, {20});
  comes_online(10);
  auto changes = take();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].first, 1u);
  EXPECT_EQ(changes[0].second.online, (Ids{10}));
  EXPECT_TRUE(changes[0].second.offline.empty());
  EXPECT_FALSE(watch_.has_changes());
}

TEST_F(PresenceWatchTest, ChangesOfManyUsersReachAFollowerAsOneBatch) {
  watch_.follow(1, {10, 20, 30});
  online_ = {30};
  comes_online(20);
  comes_online(10);
  goes_offline(30);
  auto changes = take();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].second.online, (Ids{10, 20}));
  EXPECT_EQ(changes[0].second.offline, (Ids{30}));
}

TEST_F(PresenceWatchTest, AFlipAndAFlipBackBeforeTheTakeIsNoChange) {
  watch_.follow(1, {10, 20});
  online_ = {20};
  comes_online(10);
  goes_offline(10);  // a tab opened and closed
  goes_offline(20);
  comes_online(20);  // a page reloaded
  EXPECT_TRUE(watch_.has_changes());
  EXPECT_TRUE(take().empty());
  EXPECT_FALSE(watch_.has_changes());
}

TEST_F(PresenceWatchTest, AChangeOfAUserNobodyFollowsReachesNobody) {
  comes_online(10);
  EXPECT_TRUE(take().empty());
}

TEST_F(PresenceWatchTest, AForgottenConnectionHearsNothingMore) {
  watch_.follow(1, {10});
  watch_.follow(2, {10});
  watch_.forget(1);
  comes_online(10);
  auto changes = take();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].first, 2u);
}

TEST_F(PresenceWatchTest,
       AConnectionThatSubscribedBetweenAFlipAndItsFlipBackHearsTheStateThatStands) {
  watch_.follow(1, {10});
  comes_online(10);
  watch_.follow(2, {10});  // told "10 is online" by the hub
  goes_offline(10);
  auto changes = take();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].first, 2u);
  EXPECT_EQ(changes[0].second.offline, (Ids{10}));
  comes_online(10);
  goes_offline(10);
  EXPECT_TRUE(take().empty());  // the next window starts afresh
}

TEST_F(PresenceWatchTest, FollowersStayExactWhenConnectionsLeaveInAnyOrder) {
  std::set<ConnId> left;
  for (ConnId c = 1; c <= 100; ++c) watch_.follow(c, {10, 20 + int64_t(c % 3)});
  for (ConnId c = 1; c <= 100; ++c) {
    if (c % 3 == 0 || c % 7 == 0) continue;
    left.insert(c);
  }
  for (ConnId c = 100; c >= 1; --c)
    if (!left.count(c)) watch_.forget(c);
  const auto& tens = watch_.followers(10);
  EXPECT_EQ(std::set<ConnId>(tens.begin(), tens.end()), left);
  watch_.follow(*left.begin(), {30});  // moves one connection off 10 and 20s
  EXPECT_EQ(watch_.followers(10).size(), left.size() - 1);
  for (ConnId c : left) watch_.forget(c);
  EXPECT_TRUE(watch_.followers(10).empty());
  EXPECT_TRUE(watch_.followers(30).empty());
  comes_online(10);
  EXPECT_TRUE(take().empty());
}
