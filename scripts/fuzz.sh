#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (ASan+UBSan) and runs each for FUZZ_SECONDS,
# starting from the committed seed corpora. Fails on any crash, leak or sanitizer report.
# Prints "fuzz: N passed, M failed" (one per harness).
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-30}
build="$src/build-fuzz"
out="$src/test-output/fuzz"
mkdir -p "$out"
if [ ! -f "$build/CMakeCache.txt" ]; then
  CXX=clang++ cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVC_FUZZ=ON >"$out/cmake.log" 2>&1 ||
    { cat "$out/cmake.log"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
fi
harnesses=(config http_request signaling)
cmake --build "$build" -j "$(nproc)" --target "${harnesses[@]/#/fuzz_}" >"$out/build.log" 2>&1 ||
  { tail -30 "$out/build.log"; echo "fuzz: 0 passed, 1 failed"; exit 1; }

# Any sanitizer report ends the run as a failure; only the documented rapidjson finding is
# suppressed.
export UBSAN_OPTIONS="suppressions=$src/tests/fuzz/ubsan.supp:halt_on_error=1:print_stacktrace=1"
passed=0 failed=0
for h in "${harnesses[@]}"; do
  work="$out/$h"
  rm -rf "$work" && mkdir -p "$work/corpus" "$work/artifacts"
  cp "$src/tests/fuzz/corpus/$h"/* "$work/corpus/"
  if "$build/tests/fuzz/fuzz_$h" "$work/corpus" -max_total_time="$seconds" -max_len=65536 \
      -artifact_prefix="$work/artifacts/" -print_final_stats=1 >"$work/log" 2>&1; then
    passed=$((passed + 1))
    echo "ok   fuzz_$h: $(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$work/log" | grep -Eo '[0-9]+$') runs in ${seconds}s"
  else
    failed=$((failed + 1))
    echo "FAIL fuzz_$h: see $work/log; reproducer in $work/artifacts/"
    grep -E 'ERROR|SUMMARY|runtime error' "$work/log" | head -10
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
