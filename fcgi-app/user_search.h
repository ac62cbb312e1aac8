// A user search (GET /api/users/search) as a typed value: the checks on q, limit and after, and
// the two ways q matches, with no I/O, so unit tests and the fuzzer reach every rule.
//
// A user matches when the username starts with q (case-folded as usernames are stored), or
// when the display name holds, for every word of q of at least kFulltextMinWord characters, a
// word starting with it (MariaDB FULLTEXT in BOOLEAN MODE: `+word*` each).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "db.h"
#include "error.h"
#include "query_string.h"

namespace vc {

constexpr size_t kSearchTextMin = 2, kSearchTextMax = 64;  // code points, after trimming
constexpr int64_t kSearchLimitDefault = 20, kSearchLimitMax = 50;
// innodb_ft_min_token_size (3, server-wide): shorter words are not in the FULLTEXT index, so a
// required `+ab*` would match nothing. They are left out of the display-name match.
constexpr size_t kFulltextMinWord = 3;

struct UserSearch {
  std::string text;   // q, trimmed
  std::string after;  // the last username of the previous page; "" for the first page
  int64_t limit = kSearchLimitDefault;
  // `LIKE ? ESCAPE '\\'` pattern for usernames starting with q; "" when no username can (q has a
  // character usernames never hold, or is longer than one).
  std::string username_pattern;
  // The BOOLEAN MODE expression; "" when q has no word long enough.
  std::string fulltext_terms;
};

// q (required), limit (1..50, default 20) and after (a username). Every refusal is
// `invalid_query` naming the parameter.
Result<UserSearch> parse_user_search(const QueryParams& params);

// The statement that finds one page of `search` for user `me` (who is never listed): one row
// more than the page, by username. Empty `sql` when q can match nothing ("%%", or only short
// words of punctuation).
struct SearchStatement {
  std::string sql;
  std::vector<DbParam> params;
};
SearchStatement search_statement(const UserSearch& search, int64_t me);

// `text` with LIKE's `%`, `_` and the escape character `\` escaped by `\`.
std::string escape_like(std::string_view text);
// "+word* +word*" for each word of `text` of at least kFulltextMinWord characters. Words are
// split where InnoDB splits them: at every ASCII character other than a letter, digit or '_'
// (which removes every BOOLEAN MODE operator) and at common non-ASCII punctuation and symbols.
std::string fulltext_prefix_terms(std::string_view text);

}  // namespace vc
