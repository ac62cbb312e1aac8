// videochat-migrate: applies pending migrations to the configured database.
// Usage: videochat-migrate -c /etc/videochat/videochat.conf [-m
// /usr/local/share/videochat/migrations]
#include <cstdio>
#include <cstring>
#include <string>

#include "config.h"
#include "db.h"
#include "log.h"
#include "migrator.h"

int main(int argc, char** argv) {
  std::string config_path = "/etc/videochat/videochat.conf";
  std::string migrations_dir = "migrations";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "-c"))
      config_path = argv[i + 1];
    else if (!std::strcmp(argv[i], "-m"))
      migrations_dir = argv[i + 1];
  }
  auto config = vc::load_config(config_path);
  if (!config) {
    std::fprintf(stderr, "videochat-migrate: %s\n", config.error().message.c_str());
    return 2;
  }
  vc::db_library_init();
  vc::Db db(config->db);
  auto applied = vc::apply_migrations(db, migrations_dir);
  if (!applied) {
    std::fprintf(stderr, "videochat-migrate: %s\n", applied.error().message.c_str());
    return 1;
  }
  auto version = vc::schema_version(db);
  std::printf("videochat-migrate: applied %d migration(s); schema version %d\n", *applied,
              version ? *version : -1);
  return 0;
}
