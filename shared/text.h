// Text helpers that both daemons need, written once: trimming, the Cookie header,
// and the reason phrase of a status line.
#pragma once

#include <string>
#include <string_view>

namespace vc {

// `s` without leading and trailing spaces, tabs, carriage returns and newlines.
std::string_view trim(std::string_view s);

// The value of cookie `name` in a Cookie header ("a=1; b=2"), "" when absent. Names match
// exactly; whitespace around names and values is not part of them.
std::string cookie_value(std::string_view header, std::string_view name);

// "Not Found" for 404 and so on, for every status either daemon sends; "Internal Server
// Error" for any other.
const char* reason_phrase(int status);

}  // namespace vc
