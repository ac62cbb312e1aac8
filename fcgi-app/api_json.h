// JSON pieces that several endpoints write the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "json.h"

namespace vc {

// `{"id", "username", "display_name"}`, the public face of an account.
void write_user(JsonWriter& w, int64_t id, const std::string& username,
                const std::string& display_name);
// `{"user":{...}}` as the auth endpoints and /api/me return it.
std::string user_json(int64_t id, const std::string& username, const std::string& display_name);
// Field `name`: a DATETIME(3) column's text "YYYY-MM-DD HH:MM:SS.mmm" (UTC) as ISO-8601
// "YYYY-MM-DDTHH:MM:SS.mmmZ", or null.
void write_db_time(JsonWriter& w, const char* name, const std::optional<std::string>& db_time);

}  // namespace vc
