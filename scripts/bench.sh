#!/usr/bin/env bash
# Benchmarks against peers measured in the same run, printed as one table.
# 1. Session check: GET /api/me (nginx -> fcgi-app -> MariaDB) at 64 connections with wrk;
#    peer: the same nginx serving a static file over the same TLS path (the floor for any API).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
duration=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-64}
stack=$(mktemp -d /tmp/videochat-bench.XXXXXX)
port() { while :; do p=$((20000 + RANDOM % 30000)); (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }; done; }
export HTTPS_PORT=$(port) HTTP_PORT=$(port) WS_PORT=$(port) TURN_PORT=$(port) TURN_TLS_PORT=$(port)
export BUILD_DIR=$build
trap '"$src/scripts/stack.sh" stop "$stack" >/dev/null 2>&1; rm -rf "$stack"' EXIT
AUTH_RATE=1000r/s AUTH_BURST=1000 "$src/scripts/stack.sh" start "$stack" >"$stack/start.log" 2>&1 ||
  { tail "$stack/start.log"; exit 1; }

origin="https://localhost:$HTTPS_PORT"
user="bench_$$"
body="{\"username\":\"$user\",\"password\":\"a long enough bench password\"}"
curl -sk -o /dev/null "$origin/api/register" -H 'Content-Type: application/json' -H "Origin: $origin" -d "$body"
cookie=$(curl -sk -D - -o /dev/null "$origin/api/login" -H 'Content-Type: application/json' \
  -H "Origin: $origin" -d "$body" | grep -io '__Host-session=[A-Za-z0-9_-]*')

# Prints "requests/s p50_ms p99_ms" for one wrk run.
measure() {
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

read -r api_rps api_p50 api_p99 < <(measure -H "Cookie: $cookie" "$origin/api/me")
read -r static_rps static_p50 static_p99 < <(measure "$origin/index.html")

echo
echo "videochat benchmarks — $(nproc) cores, wrk -t2 -c$connections -d${duration}s, client and server on one machine"
printf '%-44s %12s %10s %10s\n' "measurement" "requests/s" "p50 ms" "p99 ms"
printf '%-44s %12s %10s %10s\n' "GET /api/me (nginx+fcgi-app+MariaDB)" "$api_rps" "$api_p50" "$api_p99"
printf '%-44s %12s %10s %10s\n' "peer: static file through the same nginx" "$static_rps" "$static_p50" "$static_p99"
awk -v a="$api_rps" -v s="$static_rps" 'BEGIN { if (s > 0) printf "ratio /api/me : static = %.2f\n", a / s }'
