#include "validation.h"

#include "api_errors.h"

namespace vc {

long decode_utf8(std::string_view s, size_t& i) {
  unsigned char c = s[i];
  int extra = c < 0x80             ? 0
              : (c & 0xE0) == 0xC0 ? 1
              : (c & 0xF0) == 0xE0 ? 2
              : (c & 0xF8) == 0xF0 ? 3
                                   : -1;
  if (extra < 0) return ++i, -1;
  long cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    if (i + k >= s.size()) return i = s.size(), -1;
    unsigned char cc = s[i + k];
    if ((cc & 0xC0) != 0x80) return i += k, -1;
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += extra + 1;
  static const long kMinForLength[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  return cp;
}

long utf8_length(std::string_view text) {
  long count = 0;
  for (size_t i = 0; i < text.size(); ++count)
    if (decode_utf8(text, i) < 0) return -1;
  return count;
}

std::string fold_username_case(std::string_view text) {
  std::string folded(text);
  for (char& c : folded)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return folded;
}

bool is_username_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

Result<std::string> normalize_username(std::string_view username) {
  std::string folded = fold_username_case(username);
  const Error bad{api_error::kInvalidUsername,
                  "username must be 3-32 characters of a-z, 0-9, '_', '.' or '-'"};
  if (folded.size() < kUsernameMin || folded.size() > kUsernameMax) return bad;
  for (char c : folded)
    if (!is_username_char(c)) return bad;
  return folded;
}

Status check_password(std::string_view password) {
  long length = utf8_length(password);
  if (length < static_cast<long>(kPasswordMin) || length > static_cast<long>(kPasswordMax))
    return Error{api_error::kInvalidPassword, "password must be 15-128 characters"};
  return std::nullopt;
}

// Characters that change how the name around them reads without showing themselves: bidi
// embeddings, overrides, isolates and marks reorder a caller ID ("evil" shown as "live"), and
// zero-width ones make two names that look the same differ.
bool is_hidden_formatting(long cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 ||
         cp == 0xFEFF || cp == 0x180E;
}

Status check_display_name(std::string_view name) {
  const Error bad{api_error::kInvalidDisplayName,
                  "display_name must be 1-64 characters of printable text, without invisible or "
                  "direction-changing characters"};
  long length = 0;
  for (size_t i = 0; i < name.size(); ++length) {
    long cp = decode_utf8(name, i);
    bool control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
                   cp == 0x2029 || is_hidden_formatting(cp);
    if (cp < 0 || control) return bad;
  }
  if (length < 1 || length > static_cast<long>(kDisplayNameMax)) return bad;
  return std::nullopt;
}

}  // namespace vc
