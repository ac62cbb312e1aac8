// Who follows whose presence, and the changes not yet told. Pure bookkeeping: no timers, no
// sockets; the hub owns one, feeds it opens, closes and `subscribe` messages, and sends what
// take_changes() returns.
//
// Each connection follows at most kMaxWatchedUsers users (the people its page shows), so a
// user coming online costs one message per follower, not one per connection in the site.
// Changes are coalesced: a user whose state flips and flips back before the hub takes the
// changes (a tab closed and opened, a page reloaded) was never away for anyone.
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "signaling/protocol.h"
#include "signaling/transport.h"

namespace vc::ws {

class PresenceWatch {
 public:
  // Replaces what `conn` follows. `users` may hold duplicates; the caller checked its size.
  // The caller tells `conn` the state of each at once; if changes are pending, that state may
  // be one that flips back before the take, and then `conn` is told again (see take_changes).
  void follow(ConnId conn, std::vector<int64_t> users);
  // The connection closed: it follows nobody.
  void forget(ConnId conn);
  // The connections that follow `user`, in no particular order.
  const std::vector<ConnId>& followers(int64_t user) const;
  // The users `conn` follows, sorted, without duplicates.
  const std::vector<int64_t>& followed_by(ConnId conn) const;

  // `user`'s online state flipped; `was_online` is the state before. Only the first flip
  // since the last take_changes() is remembered, so a flip back cancels it.
  void changed(int64_t user, bool was_online);
  bool has_changes() const { return !pending_.empty(); }
  // The changes that still stand, as one `presence` per follower, and forgets them all. A
  // change that flipped back is news only to connections that subscribed in between.
  std::vector<std::pair<ConnId, Presence>> take_changes(
      const std::function<bool(int64_t)>& is_online);

 private:
  // What one connection follows, and where it stands in each of those users' followers_ list:
  // leaving costs the same for a user everyone follows as for one nobody does.
  struct Following {
    std::vector<int64_t> users;   // sorted, unique
    std::vector<uint32_t> slots;  // slots[i]: the index in followers_[users[i]]
  };
  void set_slot(ConnId conn, int64_t user, uint32_t slot);

  std::unordered_map<ConnId, Following> follows_;
  std::unordered_map<int64_t, std::vector<ConnId>> followers_;  // the reverse index
  std::unordered_map<int64_t, bool> pending_;                   // user -> state before
  std::unordered_set<ConnId> followed_mid_change_;  // subscribed while changes were pending
};

}  // namespace vc::ws
