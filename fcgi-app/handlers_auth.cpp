// Register, login, logout, logout-all.
#include <string>

#include "api_errors.h"
#include "api_json.h"
#include "handlers.h"
#include "log.h"
#include "password.h"
#include "requests.h"

namespace vc {
namespace {

std::string session_cookie(const std::string& token, int64_t max_age_s) {
  // __Host- prefix: the browser only accepts it with Secure, Path=/ and no Domain.
  return std::string(kSessionCookie) + "=" + token + "; Path=/; Secure; HttpOnly; SameSite=Strict" +
         "; Max-Age=" + std::to_string(max_age_s);
}

HttpResponse with_cleared_cookie(HttpResponse response) {
  response.headers.emplace_back("Set-Cookie", session_cookie("", 0));
  return response;
}

}  // namespace

HttpResponse handle_register(RequestContext& ctx) {
  auto request = parse_register_request(ctx.request.body);
  if (!request) return error_response(request.error());
  auto hash = hash_password(request->password, ctx.worker.password_params);
  if (!hash) return error_response({api_error::kInternalError, "password hashing failed"});
  auto inserted = ctx.worker.db.exec(
      "INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, ?)",
      {request->username, request->display_name, *hash});
  if (!inserted) {
    if (inserted.error().code == kDbDuplicate)
      return error_response({api_error::kUsernameTaken, "that username is taken"});
    return error_response(inserted.error());
  }
  auto id = static_cast<int64_t>(inserted->insert_id);
  log_event(LogLevel::info, "fcgi", "user_registered",
            {{"request_id", ctx.request.request_id}, {"user_id", id}});
  return json_response(201, user_json(id, request->username, request->display_name));
}

HttpResponse handle_login(RequestContext& ctx) {
  auto request = parse_login_request(ctx.request.body);
  if (!request) return error_response(request.error());
  const Error refused{api_error::kInvalidCredentials, "wrong username or password"};
  if (request->impossible) return error_response(refused);
  const std::string& username = request->username;

  Worker& w = ctx.worker;
  const std::string& ip = ctx.request.remote_addr;
  auto wait = w.throttle.retry_after(username, ip);
  if (!wait) return error_response(wait.error());
  if (*wait > 0) {
    log_event(LogLevel::warn, "fcgi", "login_throttled",
              {{"request_id", ctx.request.request_id}, {"remote_ip", ip}, {"retry_after", *wait}});
    HttpResponse r =
        error_response({api_error::kTooManyAttempts, "too many failed logins; try later"});
    r.headers.emplace_back("Retry-After", std::to_string(*wait));
    return r;
  }

  auto rows = w.db.query("SELECT id, display_name, password_hash FROM users WHERE username = ?",
                         {username});
  if (!rows) return error_response(rows.error());
  // Unknown users are verified against a dummy hash so both refusals take as long.
  const bool known = !rows->empty();
  const std::string& stored_hash = known ? *rows->front()[2] : w.dummy_hash;
  if (!verify_password(stored_hash, request->password) || !known) {
    if (auto err = w.throttle.record_failure(username, ip)) return error_response(*err);
    log_event(LogLevel::info, "fcgi", "login_failed",
              {{"request_id", ctx.request.request_id}, {"remote_ip", ip}});
    return error_response(refused);
  }

  const int64_t user_id = std::stoll(*rows->front()[0]);
  if (password_needs_rehash(stored_hash, w.password_params)) {
    if (auto fresh = hash_password(request->password, w.password_params))
      w.db.exec("UPDATE users SET password_hash = ? WHERE id = ?", {*fresh, user_id});
  }
  if (auto err = w.throttle.record_success(username)) return error_response(*err);
  auto token = w.sessions.create(user_id, ctx.request.header("user-agent"), ip);
  if (!token) return error_response(token.error());
  log_event(LogLevel::info, "fcgi", "login",
            {{"request_id", ctx.request.request_id}, {"user_id", user_id}, {"remote_ip", ip}});
  HttpResponse response = json_response(200, user_json(user_id, username, *rows->front()[1]));
  response.headers.emplace_back("Set-Cookie",
                                session_cookie(*token, w.config.session_absolute_timeout_s));
  return response;
}

HttpResponse handle_logout(RequestContext& ctx) {
  if (auto err = ctx.worker.sessions.revoke(ctx.session->session_id)) return error_response(*err);
  log_event(LogLevel::info, "fcgi", "logout",
            {{"request_id", ctx.request.request_id}, {"user_id", ctx.session->user_id}});
  return with_cleared_cookie(no_content());
}

HttpResponse handle_logout_all(RequestContext& ctx) {
  if (auto err = ctx.worker.sessions.revoke_all(ctx.session->user_id)) return error_response(*err);
  log_event(LogLevel::info, "fcgi", "logout_all",
            {{"request_id", ctx.request.request_id}, {"user_id", ctx.session->user_id}});
  return with_cleared_cookie(no_content());
}

}  // namespace vc
