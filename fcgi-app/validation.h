// Rules for what users type: usernames, passwords, display names.
#pragma once

#include <string>
#include <string_view>

#include "error.h"

namespace vc {

constexpr size_t kUsernameMin = 3, kUsernameMax = 32;
constexpr size_t kPasswordMin = 15, kPasswordMax = 128;  // OWASP, password-only login
constexpr size_t kDisplayNameMax = 64;

// Decodes one UTF-8 sequence at `i`, advancing `i` past it; the code point, or -1 when the
// sequence is not valid UTF-8.
long decode_utf8(std::string_view text, size_t& i);
// Number of code points, or -1 if the text is not valid UTF-8.
long utf8_length(std::string_view text);

// A-Z to a-z, nothing else: how usernames are stored (and searched).
std::string fold_username_case(std::string_view text);
// Whether `c` may appear in a (folded) username: a-z, 0-9, '_', '.' or '-'.
bool is_username_char(char c);
// Case-folds, then checks 3-32 characters of [a-z0-9_.-]. Returns the folded name.
Result<std::string> normalize_username(std::string_view username);
// 15-128 characters of valid UTF-8. Never truncated.
Status check_password(std::string_view password);
// 1-64 characters of printable text: valid UTF-8, no control characters.
Status check_display_name(std::string_view display_name);

}  // namespace vc
