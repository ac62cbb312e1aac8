// libFuzzer: everything fcgi-app derives from a request without the database — body and query
// string parsing and validation of each endpoint, the cookie header, the CSRF check, the error
// mapping.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "http.h"
#include "query_string.h"
#include "requests.h"
#include "routes.h"
#include "user_search.h"
#include "validation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  vc::HttpRequest request;
  request.method = "POST";
  request.headers["cookie"] = in.ConsumeRandomLengthString(256);
  request.headers["content-type"] = in.ConsumeRandomLengthString(64);
  request.headers["origin"] = in.ConsumeRandomLengthString(64);
  request.headers["sec-fetch-site"] = in.ConsumeRandomLengthString(16);
  const std::string body = in.ConsumeRemainingBytesAsString();

  (void)request.cookie("__Host-session");
  if (auto err = vc::check_csrf(request, "https://localhost:8443")) (void)vc::error_response(*err);

  if (auto r = vc::parse_register_request(body)) {
    // Whatever is accepted must satisfy the rules it was checked against.
    if (!vc::normalize_username(r->username) || vc::check_password(r->password) ||
        vc::check_display_name(r->display_name))
      __builtin_trap();
  } else {
    (void)vc::error_response(r.error());
  }
  if (auto r = vc::parse_login_request(body); !r) (void)vc::error_response(r.error());
  if (auto r = vc::parse_client_log(body); !r) (void)vc::error_response(r.error());
  if (auto r = vc::parse_add_contact_request(body)) {
    if (r->user_id < 1) __builtin_trap();
  } else {
    (void)vc::error_response(r.error());
  }

  if (auto query = vc::QueryParams::parse(body)) {
    (void)query->positive_int("id");
    if (auto s = vc::parse_user_search(*query)) {
      if (s->limit < 1 || s->limit > vc::kSearchLimitMax) __builtin_trap();
    } else {
      (void)vc::error_response(s.error());
    }
  } else {
    (void)vc::error_response(query.error());
  }
  return 0;
}
