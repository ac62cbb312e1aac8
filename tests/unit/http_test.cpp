#include "http.h"

#include <gtest/gtest.h>

#include "json.h"
#include "routes.h"

namespace {
vc::HttpRequest post(std::string content_type, std::string origin, std::string fetch_site = "") {
  vc::HttpRequest r;
  r.method = "POST";
  r.headers["content-type"] = std::move(content_type);
  if (!origin.empty()) r.headers["origin"] = std::move(origin);
  if (!fetch_site.empty()) r.headers["sec-fetch-site"] = std::move(fetch_site);
  return r;
}
const std::string kOrigin = "https://chat.example.org";
}  // namespace

TEST(Csrf, SameOriginJsonPasses) {
  EXPECT_FALSE(vc::check_csrf(post("application/json", kOrigin, "same-origin"), kOrigin));
  EXPECT_FALSE(vc::check_csrf(post("Application/JSON; charset=utf-8", kOrigin), kOrigin));
}

TEST(Csrf, RefusesFormsOtherOriginsAndCrossSite) {
  EXPECT_EQ(vc::check_csrf(post("text/plain", kOrigin), kOrigin)->code, "bad_content_type");
  EXPECT_EQ(vc::check_csrf(post("application/x-www-form-urlencoded", kOrigin), kOrigin)->code,
            "bad_content_type");
  EXPECT_EQ(vc::check_csrf(post("application/json", "https://evil.example"), kOrigin)->code,
            "bad_origin");
  EXPECT_EQ(vc::check_csrf(post("application/json", ""), kOrigin)->code, "bad_origin");
  EXPECT_EQ(vc::check_csrf(post("application/json", kOrigin + ".evil.example"), kOrigin)->code,
            "bad_origin");
  EXPECT_EQ(vc::check_csrf(post("application/json", kOrigin, "cross-site"), kOrigin)->code,
            "cross_site_request");
}

TEST(Csrf, DeleteWithoutABodyNeedsOnlyTheOriginChecks) {
  vc::HttpRequest del;
  del.method = "DELETE";
  del.headers["origin"] = kOrigin;
  EXPECT_FALSE(vc::check_csrf(del, kOrigin));
  del.headers["sec-fetch-site"] = "cross-site";
  EXPECT_EQ(vc::check_csrf(del, kOrigin)->code, "cross_site_request");
  del.headers["origin"] = "https://evil.example";
  EXPECT_EQ(vc::check_csrf(del, kOrigin)->code, "bad_origin");

  vc::HttpRequest with_body;
  with_body.method = "DELETE";
  with_body.headers["origin"] = kOrigin;
  with_body.headers["content-type"] = "text/plain";
  with_body.content_length = 2;
  EXPECT_EQ(vc::check_csrf(with_body, kOrigin)->code, "bad_content_type");
}

TEST(HttpRequest, FindsOneCookieAmongMany) {
  vc::HttpRequest r;
  r.headers["cookie"] = "a=1; __Host-session=tok_en; b=2";
  EXPECT_EQ(r.cookie("__Host-session"), "tok_en");
  EXPECT_EQ(r.cookie("a"), "1");
  EXPECT_EQ(r.cookie("session"), "");
}

TEST(ErrorResponse, MapsCodesToStatusesInOnePlace) {
  EXPECT_EQ(vc::status_for({"missing_field", ""}), 400);
  EXPECT_EQ(vc::status_for({"unauthenticated", ""}), 401);
  EXPECT_EQ(vc::status_for({"bad_origin", ""}), 403);
  EXPECT_EQ(vc::status_for({"username_taken", ""}), 409);
  EXPECT_EQ(vc::status_for({"invalid_query_string", ""}), 400);
  EXPECT_EQ(vc::status_for({"invalid_query", ""}), 400);
  EXPECT_EQ(vc::status_for({"cannot_add_self", ""}), 400);
  EXPECT_EQ(vc::status_for({"user_not_found", ""}), 404);
  EXPECT_EQ(vc::status_for({"too_many_contacts", ""}), 409);
  EXPECT_EQ(vc::status_for({"body_too_large", ""}), 413);
  EXPECT_EQ(vc::status_for({"too_many_attempts", ""}), 429);
  EXPECT_EQ(vc::status_for({"db_unavailable", ""}), 503);
  EXPECT_EQ(vc::status_for({"something_else", ""}), 500);
}

TEST(ErrorResponse, InternalDetailsAreNotShown) {
  auto r = vc::error_response({"db_error", "Table 'users' doesn't exist"});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"error":{"code":"internal_error","message":"internal server error"}})");
}
