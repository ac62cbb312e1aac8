#include "signaling/presence_watch.h"

#include <algorithm>
#include <map>

namespace vc::ws {
namespace {

const std::vector<ConnId> kNoFollowers;
const std::vector<int64_t> kNobody;

}  // namespace

void PresenceWatch::follow(ConnId conn, std::vector<int64_t> users) {
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  forget(conn);
  if (users.empty()) return;
  if (has_changes()) followed_mid_change_.insert(conn);
  Following following{std::move(users), {}};
  following.users.shrink_to_fit();
  following.slots.reserve(following.users.size());
  for (int64_t user : following.users) {
    auto& list = followers_[user];
    following.slots.push_back(static_cast<uint32_t>(list.size()));
    list.push_back(conn);
  }
  follows_.emplace(conn, std::move(following));
}

void PresenceWatch::forget(ConnId conn) {
  auto it = follows_.find(conn);
  if (it == follows_.end()) return;
  followed_mid_change_.erase(conn);
  const Following& following = it->second;
  for (size_t i = 0; i < following.users.size(); ++i) {
    auto f = followers_.find(following.users[i]);
    std::vector<ConnId>& list = f->second;
    // The last follower takes this one's slot.
    const uint32_t slot = following.slots[i];
    const ConnId moved = list.back();
    list[slot] = moved;
    list.pop_back();
    if (moved != conn) set_slot(moved, following.users[i], slot);
    if (list.empty()) followers_.erase(f);
  }
  follows_.erase(it);
}

void PresenceWatch::set_slot(ConnId conn, int64_t user, uint32_t slot) {
  Following& following = follows_.at(conn);
  auto at = std::lower_bound(following.users.begin(), following.users.end(), user);
  following.slots[size_t(at - following.users.begin())] = slot;
}

const std::vector<ConnId>& PresenceWatch::followers(int64_t user) const {
  auto it = followers_.find(user);
  return it == followers_.end() ? kNoFollowers : it->second;
}

const std::vector<int64_t>& PresenceWatch::followed_by(ConnId conn) const {
  auto it = follows_.find(conn);
  return it == follows_.end() ? kNobody : it->second.users;
}

void PresenceWatch::changed(int64_t user, bool was_online) {
  pending_.emplace(user, was_online);  // a second flip keeps the state before the first
}

std::vector<std::pair<ConnId, Presence>> PresenceWatch::take_changes(
    const std::function<bool(int64_t)>& is_online) {
  // Ordered by connection and, within a message, by user: the same changes always read the same.
  std::map<ConnId, Presence> batches;
  struct Change {
    int64_t user;
    bool online;
    bool flipped_back;  // news only to connections told the state in between
  };
  std::vector<Change> changes;
  for (const auto& [user, was_online] : pending_) {
    const bool now_online = is_online(user);
    changes.push_back({user, now_online, now_online == was_online});
  }
  pending_.clear();
  std::sort(changes.begin(), changes.end(),
            [](const Change& a, const Change& b) { return a.user < b.user; });
  for (const Change& change : changes) {
    for (ConnId conn : followers(change.user)) {
      if (change.flipped_back && !followed_mid_change_.count(conn)) continue;
      Presence& batch = batches[conn];
      (change.online ? batch.online : batch.offline).push_back(change.user);
    }
  }
  followed_mid_change_.clear();
  return {std::make_move_iterator(batches.begin()), std::make_move_iterator(batches.end())};
}

}  // namespace vc::ws
