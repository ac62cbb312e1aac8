// Rules for what users type: usernames, passwords, display names.
#pragma once

#include <string>
#include <string_view>

#include "error.h"

namespace vc {

constexpr size_t kUsernameMin = 3, kUsernameMax = 32;
constexpr size_t kPasswordMin = 15, kPasswordMax = 128;  // OWASP, password-only login
constexpr size_t kDisplayNameMax = 64;

// Number of code points, or -1 if the text is not valid UTF-8.
long utf8_length(std::string_view text);

// Case-folds, then checks 3-32 characters of [a-z0-9_.-]. Returns the folded name.
Result<std::string> normalize_username(std::string_view username);
// 15-128 characters of valid UTF-8. Never truncated.
Status check_password(std::string_view password);
// 1-64 characters of printable text: valid UTF-8, no control characters.
Status check_display_name(std::string_view display_name);

}  // namespace vc
