// The HTTP API's error codes (docs/API.md), stable on the wire. fcgi-app maps each to its
// status in one table (status_for in fcgi-app/http.cpp); shared code that parses request
// bodies or checks sessions returns them too. db_unavailable is db.h's kDbUnavailable.
#pragma once

namespace vc::api_error {

inline constexpr const char* kInvalidJson = "invalid_json";    // not JSON, or not an object
inline constexpr const char* kMissingField = "missing_field";  // a required field is absent
inline constexpr const char* kInvalidField = "invalid_field";  // wrong JSON type or bad value
inline constexpr const char* kInvalidUsername = "invalid_username";
inline constexpr const char* kInvalidPassword = "invalid_password";
inline constexpr const char* kInvalidDisplayName = "invalid_display_name";
inline constexpr const char* kUnauthenticated = "unauthenticated";  // no live session
inline constexpr const char* kInvalidCredentials = "invalid_credentials";
inline constexpr const char* kBadOrigin = "bad_origin";
inline constexpr const char* kBadContentType = "bad_content_type";
inline constexpr const char* kCrossSiteRequest = "cross_site_request";
inline constexpr const char* kNotFound = "not_found";
inline constexpr const char* kMethodNotAllowed = "method_not_allowed";
inline constexpr const char* kUsernameTaken = "username_taken";
inline constexpr const char* kBodyTooLarge = "body_too_large";
inline constexpr const char* kTooManyAttempts = "too_many_attempts";
inline constexpr const char* kInvalidQueryString = "invalid_query_string";  // bad %-escape, ...
inline constexpr const char* kInvalidQuery = "invalid_query";  // a user search's q, limit or after
inline constexpr const char* kCannotAddSelf = "cannot_add_self";
inline constexpr const char* kUserNotFound = "user_not_found";
inline constexpr const char* kTooManyContacts = "too_many_contacts";
inline constexpr const char* kInternalError = "internal_error";

}  // namespace vc::api_error
