#include "user_search.h"

#include <charconv>

#include "api_errors.h"
#include "text.h"
#include "validation.h"

namespace vc {
namespace {

// An approximation of InnoDB's word characters for the default parser: ASCII letters, digits
// and '_', and any non-ASCII code point outside the common punctuation and symbol blocks.
bool is_word_code_point(long cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
  const bool punctuation = (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
                           (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
                           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE10 && cp <= 0xFE6F) ||
                           (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0x1F000 && cp <= 0x1FAFF);
  return !punctuation;
}

Result<int64_t> parse_limit(const QueryParams& params) {
  auto text = params.get("limit");
  if (!text) return kSearchLimitDefault;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size() || n < 1 ||
      n > kSearchLimitMax)
    return Error{api_error::kInvalidQuery, "limit must be an integer from 1 to 50"};
  return n;
}

// One branch of the search: the users a condition matches after `after`, by username. Each
// branch sorts and stops on its own, so each uses its own index: a range of the username's
// unique key for the prefix (forced: MariaDB's EXPLAIN otherwise shows a full scan for wide
// prefixes, though it switches to the index when it runs), the FULLTEXT index for the words.
void add_branch(SearchStatement& statement, const char* table, const char* condition,
                const std::string& term, const UserSearch& search, int64_t me) {
  if (!statement.sql.empty()) statement.sql += " UNION ";
  statement.sql += std::string("(SELECT id, username, display_name FROM ") + table + " WHERE " +
                   condition + " AND username > ? AND id <> ? ORDER BY username LIMIT ?)";
  statement.params.emplace_back(term);
  statement.params.emplace_back(search.after);
  statement.params.emplace_back(me);
  statement.params.emplace_back(search.limit + 1);
}

}  // namespace

SearchStatement search_statement(const UserSearch& search, int64_t me) {
  SearchStatement statement;
  if (!search.username_pattern.empty())
    add_branch(statement, "users FORCE INDEX (uq_users_username)", "username LIKE ? ESCAPE '\\\\'",
               search.username_pattern, search, me);
  if (!search.fulltext_terms.empty())
    add_branch(statement, "users", "MATCH (display_name) AGAINST (? IN BOOLEAN MODE)",
               search.fulltext_terms, search, me);
  if (!statement.sql.empty()) {
    statement.sql += " ORDER BY username LIMIT ?";
    statement.params.emplace_back(search.limit + 1);
  }
  return statement;
}

std::string escape_like(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string fulltext_prefix_terms(std::string_view text) {
  std::string terms;
  std::string word;
  long word_length = 0;
  auto end_word = [&] {
    if (word_length >= static_cast<long>(kFulltextMinWord))
      terms += (terms.empty() ? "+" : " +") + word + "*";
    word.clear();
    word_length = 0;
  };
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const long cp = decode_utf8(text, i);
    if (cp >= 0 && is_word_code_point(cp)) {
      word.append(text.substr(start, i - start));
      ++word_length;
    } else {
      end_word();
    }
  }
  end_word();
  return terms;
}

Result<UserSearch> parse_user_search(const QueryParams& params) {
  UserSearch search;
  search.text = std::string(trim(params.get("q").value_or("")));
  const long length = utf8_length(search.text);
  if (length < static_cast<long>(kSearchTextMin) || length > static_cast<long>(kSearchTextMax))
    return Error{api_error::kInvalidQuery, "q must be 2-64 characters"};

  auto limit = parse_limit(params);
  if (!limit) return limit.error();
  search.limit = *limit;

  if (auto after = params.get("after")) {
    auto username = normalize_username(*after);
    if (!username) return Error{api_error::kInvalidQuery, "after must be a username"};
    search.after = *username;
  }

  const std::string folded = fold_username_case(search.text);
  bool can_start_username = folded.size() <= kUsernameMax;
  for (char c : folded) can_start_username = can_start_username && is_username_char(c);
  if (can_start_username) search.username_pattern = escape_like(folded) + "%";
  search.fulltext_terms = fulltext_prefix_terms(search.text);
  return search;
}

}  // namespace vc
