#include "turn_credentials.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace vc {

TurnCredentials make_turn_credentials(const std::string& shared_secret, int64_t user_id,
                                      int64_t now_unix, int64_t ttl_s) {
  TurnCredentials out;
  out.username = std::to_string(now_unix + ttl_s) + ":" + std::to_string(user_id);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), shared_secret.data(), static_cast<int>(shared_secret.size()),
       reinterpret_cast<const unsigned char*>(out.username.data()), out.username.size(), mac,
       &mac_len);
  // Standard base64 with padding, as coturn compares it.
  unsigned char encoded[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  int n = EVP_EncodeBlock(encoded, mac, static_cast<int>(mac_len));
  out.credential.assign(reinterpret_cast<const char*>(encoded), static_cast<size_t>(n));
  return out;
}

}  // namespace vc
