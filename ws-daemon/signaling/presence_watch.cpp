#include "signaling/presence_watch.h"

#include <algorithm>
#include <map>

namespace vc::ws {
namespace {

const std::vector<ConnId> kNoFollowers;
const std::vector<int64_t> kNobody;

void remove_one(std::vector<ConnId>& conns, ConnId conn) {
  auto it = std::find(conns.begin(), conns.end(), conn);
  if (it == conns.end()) return;
  *it = conns.back();
  conns.pop_back();
}

}  // namespace

void PresenceWatch::follow(ConnId conn, std::vector<int64_t> users) {
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  forget(conn);
  if (users.empty()) return;
  if (has_changes()) followed_mid_change_.insert(conn);
  for (int64_t user : users) followers_[user].push_back(conn);
  users.shrink_to_fit();
  follows_.emplace(conn, std::move(users));
}

void PresenceWatch::forget(ConnId conn) {
  auto it = follows_.find(conn);
  if (it == follows_.end()) return;
  followed_mid_change_.erase(conn);
  for (int64_t user : it->second) {
    auto f = followers_.find(user);
    if (f == followers_.end()) continue;
    remove_one(f->second, conn);
    if (f->second.empty()) followers_.erase(f);
  }
  follows_.erase(it);
}

const std::vector<ConnId>& PresenceWatch::followers(int64_t user) const {
  auto it = followers_.find(user);
  return it == followers_.end() ? kNoFollowers : it->second;
}

const std::vector<int64_t>& PresenceWatch::followed_by(ConnId conn) const {
  auto it = follows_.find(conn);
  return it == follows_.end() ? kNobody : it->second;
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
