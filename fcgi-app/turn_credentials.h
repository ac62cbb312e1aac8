// Ephemeral TURN credentials in the "TURN REST API" form coturn's use-auth-secret expects:
// username "<unix expiry>:<user id>", credential base64(HMAC-SHA1(shared secret, username)).
// coturn recomputes the HMAC and refuses the username once its expiry has passed.
#pragma once

#include <cstdint>
#include <string>

namespace vc {

struct TurnCredentials {
  std::string username;
  std::string credential;
};

TurnCredentials make_turn_credentials(const std::string& shared_secret, int64_t user_id,
                                      int64_t now_unix, int64_t ttl_s);

}  // namespace vc
