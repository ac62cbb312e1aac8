#!/usr/bin/env bash
# Runs every test: unit tests of the normal and the sanitizer build and the browser modules'
# node:test units, the deployment and front-door (`make run`) tests, the fuzzers, then the
# integration suites against a private stack (MariaDB, fcgi-app, ws-daemon, coturn, nginx) on
# free loopback ports, once with the normal daemons and once with the ASan+UBSan daemons; the
# browser end-to-end suite runs once, against the normal stack. Stops what it started, and fails
# if any suite left a daemon or browser running. Ends with one line "tests: N passed, M failed".
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
builds=${TEST_BUILDS:-"build build-asan"}
out="$src/test-output"
mkdir -p "$out"
passed=0 failed=0 broken=0

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Runs one gtest binary, adding its counts to the totals.
run_gtest() {
  local label=$1; shift
  local log="$out/$label.log"
  echo "== $label"
  "$@" --gtest_color=no >"$log" 2>&1
  local rc=$?
  local p f
  p=$(grep -Eo '^\[  PASSED  \] [0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  f=$(grep -Eo '^\[  FAILED  \] [0-9]+ tests?, listed below' "$log" | grep -Eo '[0-9]+' || echo 0)
  passed=$((passed + p)) failed=$((failed + f))
  grep -E '^\[  FAILED  \]|Failure$|ERROR: (Address|Leak)Sanitizer|runtime error:' "$log" | sort -u | head -40
  if [ $rc -ne 0 ] && [ "$f" = 0 ]; then
    echo "$label exited $rc without a test failure (crash or sanitizer report): see $log"
    broken=$((broken + 1))
  fi
  echo "   $p passed, $f failed ($log)"
}

# Runs node:test files (TAP reporter), adding their counts to the totals; a test that timed
# out is reported as cancelled and counts as failed.
run_node_tests() {
  local label=$1; shift
  local log="$out/$label.log"
  echo "== $label"
  (cd "$src" && node --test --test-reporter=tap "$@") >"$log" 2>&1
  local rc=$?
  local p f c
  # The runner's own closing summary is the last of each line (earlier ones can be nested).
  p=$(grep -Eo '^# pass [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+$' || echo 0)
  f=$(grep -Eo '^# fail [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+$' || echo 0)
  c=$(grep -Eo '^# cancelled [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+$' || echo 0)
  p=${p:-0} f=${f:-0} c=${c:-0}
  f=$((f + c))
  passed=$((passed + p)) failed=$((failed + f))
  grep -E '^not ok' "$log" | head -40
  if [ $rc -ne 0 ] && [ "$f" = 0 ]; then
    echo "$label exited $rc without a test failure: see $log"
    broken=$((broken + 1))
  fi
  echo "   $p passed, $f failed ($log)"
}

# Runs a shell test script whose last line is "<name>: N passed, M failed".
run_script_tests() {
  local label=$1; shift
  local log="$out/$label.log"
  echo "== $label"
  "$@" >"$log" 2>&1
  local rc=$?
  local counts p f
  counts=$(grep -Eo '[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  p=$(echo "$counts" | grep -Eo '^[0-9]+' || echo 0)
  f=$(echo "$counts" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)
  passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0}))
  grep -E '^FAIL' -A3 "$log" | head -40
  if [ $rc -ne 0 ] && [ "${f:-0}" = 0 ]; then
    echo "$label exited $rc without a test failure: see $log"
    broken=$((broken + 1))
  fi
  echo "   ${p:-0} passed, ${f:-0} failed ($log)"
}

# Short timeouts so the suites see rings expire quickly, and a STUN URL to hand out.
test_config="ws.ring_timeout = 5
ws.session_recheck = 2
ice.stun_urls = stun:localhost:3478, stun:127.0.0.1:3478"

. "$src/scripts/lib/ports.sh"

# The daemons and browsers a suite may start. Those running before the suites (a developer's
# own `make run`, say) are not ours; any other still running at the end was left behind.
kSuiteProcesses='mariadbd|nginx|turnserver|fcgi-app|ws-daemon|chromium|chrome_crashpad|firefox-esr'
suite_processes() {  # pids, zombies aside (a process nobody reaps is already stopped)
  ps -eo pid=,stat=,comm= | awk -v names="^($kSuiteProcesses)$" '$2 !~ /^Z/ && $3 ~ names { print $1 }' | sort
}
left_behind() {
  comm -13 <(printf '%s\n' "$running_before") <(suite_processes) | grep . || true
}
running_before=$(suite_processes)

for build in $builds; do
  run_gtest "unit-$build" "$src/$build/tests/unit_tests"
done
run_script_tests format "$src/scripts/format-check.sh"
run_node_tests js-units tests/js/
run_script_tests deploy "$src/tests/deploy/deploy_test.sh" build
# The README's `make run` in a clean clone, under a terminal (it builds there: a few minutes).
run_script_tests frontdoor "$src/tests/frontdoor/make_run_test.sh"
FUZZ_SECONDS=${FUZZ_SECONDS:-30} run_script_tests fuzz "$src/scripts/fuzz.sh"

# The stacks run from an installed tree's templates, migrations and pages: what ships is tested.
installed=$(mktemp -d /tmp/videochat-installed.XXXXXX)
"$src/scripts/install.sh" "$installed" /usr/local build >"$out/install.log" 2>&1 ||
  { echo "make install failed: see $out/install.log"; broken=$((broken + 1)); }
export SHARE_DIR="$installed/usr/local/share/videochat"

# Starts the stack of $build in $stack, or brings back whatever of it is not running.
# Test sessions log in and search far faster than people; the rate limits are widened to match.
stack_up() {
  BUILD_DIR=$build HTTPS_PORT=$VC_HTTPS_PORT AUTH_RATE=100r/s AUTH_BURST=50 \
    SEARCH_RATE=200r/s SEARCH_BURST=100 \
    EXTRA_CONFIG="${TEST_EXTRA_CONFIG:-$test_config}" \
    "$src/scripts/stack.sh" start "$stack" >>"$out/stack-$build.log" 2>&1
}

for build in $builds; do
  stack=$(mktemp -d /tmp/videochat-test.XXXXXX)
  export VC_STACK_DIR=$stack VC_SRC_DIR=$src VC_BUILD_DIR="$src/$build"
  export VC_HTTPS_PORT=$(free_port) HTTP_PORT=$(free_port) WS_PORT=$(free_port)
  export TURN_PORT=$(free_port) TURN_TLS_PORT=$(free_port)
  : >"$out/stack-$build.log"
  if ! stack_up; then
    echo "the $build stack did not start:"; tail -20 "$out/stack-$build.log"
    broken=$((broken + 1))
  else
    for binary in "$src/$build"/tests/*integration_tests "$src/$build"/tests/*/*integration_tests; do
      [ -x "$binary" ] || continue
      run_gtest "$(basename "$binary")-$build" "$binary"
      # A suite that died half-way may have left the stack without one of its daemons (the ws
      # suite swaps in its own); the next suite always meets the stack's own.
      stack_up || { echo "the $build stack could not be brought back: see $out/stack-$build.log"; broken=$((broken + 1)); }
    done
    # Real Chromium against the real stack; once is enough, and the sanitizer stack is slower.
    if [ "$build" = build ]; then
      run_node_tests "e2e-$build" --test-concurrency=1 tests/e2e/
      # Load: LOAD_CONNECTIONS authenticated connections in calls, relaying for LOAD_SECONDS,
      # straight to ws-daemon's plain port (no nginx/TLS CPU); last, as it adds 2,000 users.
      # The normal build only, to bound the run. Its checks: bench/load_main.cpp (soak).
      if cmake --build "$src/$build" --target vc-bench-load >"$out/load-build.log" 2>&1; then
        run_script_tests "load-$build" "$src/$build/bench/vc-bench-load" soak \
          --config "$stack/videochat.conf" --server-pids "$(cat "$stack/run/ws-daemon.pid")" \
          --pairs $((${LOAD_CONNECTIONS:-2000} / 2)) --seconds "${LOAD_SECONDS:-60}"
      else
        echo "the load generator did not build: see $out/load-build.log"; broken=$((broken + 1))
      fi
    fi
  fi
  BUILD_DIR=$build "$src/scripts/stack.sh" stop "$stack" >>"$out/stack-$build.log" 2>&1
  # Daemons built with sanitizers report at exit, into their stderr logs.
  if grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$stack"/log/*.stderr 2>/dev/null; then
    echo "sanitizer reports from the $build daemons above"
    broken=$((broken + 1))
  fi
  rm -rf "$out/stack-logs-$build" && cp -r "$stack/log" "$out/stack-logs-$build"
  rm -rf "$stack"
done

rm -rf "$installed"

echo "== left-behind processes"
for _ in $(seq 50); do [ -z "$(left_behind)" ] && break; sleep 0.2; done
left=$(left_behind)
if [ -n "$left" ]; then
  echo "   still running, started by a suite that did not stop them (now killed):"
  ps -o pid=,args= -p "$(echo $left | tr ' ' ',')" | cut -c1-200 | sed 's/^/   /'
  kill -KILL $left 2>/dev/null
  broken=$((broken + 1))
else
  echo "   none"
fi
[ $broken -gt 0 ] && failed=$((failed + broken))
echo "tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
