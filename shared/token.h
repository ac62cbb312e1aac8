// Session tokens: 32 CSPRNG bytes, base64url without padding. Only their SHA-256 is stored,
// so a leaked sessions table does not hand out live sessions.
#pragma once

#include <string>
#include <string_view>

namespace vc {

constexpr size_t kTokenBytes = 32;
constexpr size_t kTokenChars = 43;  // base64url of 32 bytes, no padding

// Call once per process before any other function here (initialises libsodium).
bool crypto_init();

std::string new_session_token();
// SHA-256 of the token text, 32 raw bytes.
std::string hash_token(std::string_view token);
// True when the text has the shape of a token we issue; anything else is refused before any DB
// work.
bool is_well_formed_token(std::string_view token);

std::string base64url_encode(std::string_view bytes);

}  // namespace vc
