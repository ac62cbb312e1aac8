#include "password.h"

#include <sodium.h>

namespace vc {

std::optional<std::string> hash_password(std::string_view password, const PasswordParams& params) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.opslimit,
                            static_cast<size_t>(params.memlimit_kib) * 1024,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return std::nullopt;
  return std::string(out);
}

bool verify_password(const std::string& encoded_hash, std::string_view password) {
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(const std::string& encoded_hash, const PasswordParams& params) {
  return crypto_pwhash_str_needs_rehash(encoded_hash.c_str(), params.opslimit,
                                        static_cast<size_t>(params.memlimit_kib) * 1024) != 0;
}

}  // namespace vc
