// What one FastCGI worker thread owns: its own DB connection and the stores built on it.
#pragma once

#include <string>

#include "config.h"
#include "db.h"
#include "login_throttle.h"
#include "password.h"
#include "session_store.h"

namespace vc {

struct Worker {
  Worker(const Config& cfg, const std::string& dummy)
      : config(cfg),
        db(cfg.db),
        sessions(db, SessionPolicy::from(cfg)),
        throttle(db, ThrottlePolicy::from(cfg)),
        password_params{cfg.password_opslimit, cfg.password_memlimit_kib},
        dummy_hash(dummy) {}

  const Config& config;
  Db db;
  SessionStore sessions;
  LoginThrottle throttle;
  PasswordParams password_params;
  // Verified against when the username is unknown, so both failures take the same time.
  const std::string& dummy_hash;
};

}  // namespace vc
