# The shell test suites' one way to record a check: "ok"/"FAIL" lines, the counts, and the
# closing line scripts/run-tests.sh reads ("NAME: N passed, M failed"). Source it.
passed=0 failed=0

check() {  # description, command...
  local what=$1; shift
  local output
  if output=$("$@" 2>&1); then
    passed=$((passed + 1)); echo "ok   $what"
  else
    failed=$((failed + 1)); echo "FAIL $what"; printf '%s\n' "$output" | head -20 | sed 's/^/     /'
  fi
}

finish_checks() {  # suite name; exits non-zero when a check failed
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
