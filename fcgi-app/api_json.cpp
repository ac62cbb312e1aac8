#include "api_json.h"

namespace vc {

void write_user(JsonWriter& w, int64_t id, const std::string& username,
                const std::string& display_name) {
  w.start_object();
  w.field("id", id);
  w.field("username", username);
  w.field("display_name", display_name);
  w.end_object();
}

std::string user_json(int64_t id, const std::string& username, const std::string& display_name) {
  JsonWriter w;
  w.start_object();
  w.key("user");
  write_user(w, id, username, display_name);
  w.end_object();
  return w.take();
}

void write_db_time(JsonWriter& w, const char* name, const std::optional<std::string>& db_time) {
  w.key(name);
  if (!db_time) return w.null();
  std::string iso = *db_time;
  if (iso.size() > 10) iso[10] = 'T';
  w.value(iso + "Z");
}

}  // namespace vc
