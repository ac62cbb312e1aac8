// Password hashing with argon2id (libsodium's crypto_pwhash_str): the encoded hash carries
// its own salt and parameters, so raising the parameters later triggers a rehash at login.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vc {

struct PasswordParams {
  uint64_t opslimit = 2;          // OWASP minimum for argon2id: t=2
  uint64_t memlimit_kib = 19456;  // m=19 MiB
};

// nullopt only when the system cannot allocate the memory argon2 needs.
std::optional<std::string> hash_password(std::string_view password, const PasswordParams& params);
// Constant-time comparison inside libsodium.
bool verify_password(const std::string& encoded_hash, std::string_view password);
bool password_needs_rehash(const std::string& encoded_hash, const PasswordParams& params);

}  // namespace vc
