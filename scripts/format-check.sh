#!/usr/bin/env bash
# Every tracked C++ file as the committed .clang-format lays it out. Prints each file that
# differs with the first lines of its diff, then "format: N passed, M failed" (files).
# Fix with: git ls-files '*.cpp' '*.h' | xargs clang-format -i
set -uo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format not found (make deps)"; echo "format: 0 passed, 1 failed"; exit 1; }
passed=0 failed=0
while IFS= read -r file; do
  if diff -q "$file" <(clang-format --style=file "$file") >/dev/null; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $file is not clang-formatted:"
    diff -u "$file" <(clang-format --style=file "$file") | sed -n '3,12p' | sed 's/^/     /'
  fi
done < <(git ls-files '*.cpp' '*.h')
echo "format: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
