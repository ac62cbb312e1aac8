#!/usr/bin/env bash
# `make bench`: each figure beside a peer measured in the same run, printed as one table.
# Everything runs on this machine over loopback; every step is bounded in count and time.
#  1. Signaling relay: 1,000 caller/callee pairs in active calls relaying `ice` messages through
#     ws-daemon, closed loop; peer: a minimal relay on Node's `ws` (bench/node_relay.mjs).
#     Also one quiet call relaying bursts of 8 messages, as trickle ICE sends them.
#  2. 10,000 idle authenticated connections of distinct users, each following 50 others' presence:
#     RSS per connection; relay p99 of 100 pairs beside them.
#  3. Authenticated upgrades per second (the session cookie checked by the DB workers); peer: the
#     Node relay's upgrades, which check nothing (the floor of a WebSocket upgrade). Once with
#     100 connections per user, once with 2,000 users of one connection each (presence fan-out).
#  6. Presence: 10,000 distinct users connect at once, each subscribing to 50 contacts when greeted:
#     seconds until all have hello and presence has settled, and what each join cost in messages;
#     peer: the Node relay keeping the same subscriptions (bench/node_relay.mjs). Then ws-daemon is
#     killed (-9) and started again with all of them online: seconds until every one is back
#     (with the browser's back-off), subscribed again and presence has settled.
#  1–3 connect to ws-daemon's plain port on 127.0.0.1 directly, not through nginx, with the native
#     load generator bench/vc-bench-load (raw Asio), the same for both servers.
#  4. Session check: GET /api/me (nginx -> fcgi-app -> MariaDB) at 64 connections with wrk;
#     peer: the same nginx serving a static file over the same TLS path.
#  5. Call setup in headless Chromium: Accept click to first remote frame, on loopback and with
#     each person 50 ms from the server; peer: the ideal exchange, two RTCPeerConnections in one
#     page at the same delay (bench/call_setup.mjs).
# Environment: BUILD_DIR, BENCH_SECONDS (10), BENCH_CONNECTIONS (64), BENCH_PAIRS (1000),
# BENCH_IDLE (10000), BENCH_UPGRADES (10000), BENCH_DISTINCT_USERS (2000), BENCH_CALLS (10),
# BENCH_CONTACTS (50),
# BENCH_SKIP ("5" skips Chromium).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
duration=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-64}
pairs=${BENCH_PAIRS:-1000}
idle=${BENCH_IDLE:-10000}
upgrades=${BENCH_UPGRADES:-10000}
distinct=${BENCH_DISTINCT_USERS:-2000}
contacts=${BENCH_CONTACTS:-50}
skip=${BENCH_SKIP:-}
load_before=$(cut -d' ' -f1 /proc/loadavg)
stack=$(mktemp -d /tmp/videochat-bench.XXXXXX)
out="$stack/results"
mkdir -p "$out"
. "$src/scripts/lib/ports.sh"
export HTTPS_PORT=$(free_port) HTTP_PORT=$(free_port) WS_PORT=$(free_port) TURN_PORT=$(free_port) TURN_TLS_PORT=$(free_port)
export BUILD_DIR=$build
peer_pid=""
stop_peer() { [ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null && wait "$peer_pid" 2>/dev/null; peer_pid=""; }
trap 'stop_peer; "$src/scripts/stack.sh" stop "$stack" >/dev/null 2>&1; rm -rf "$stack"' EXIT

# 10,000 connections need as many descriptors in ws-daemon, the Node peer and the generator.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge $((idle + 2000)) ] || { echo "bench: ulimit -n $(ulimit -n) is too low for $idle connections" >&2; exit 1; }

build_dir=$(cd "$src" && cd "$build" && pwd)  # BUILD_DIR may be relative to the checkout or absolute
cmake --build "$build_dir" --target vc-bench-load >"$stack/build.log" 2>&1 || { tail "$stack/build.log"; exit 1; }
loadgen="$build_dir/bench/vc-bench-load"

# The relay is measured, not policed: the per-connection rate limit would stop a closed loop.
# Upgrades keep up to 100 connections of one user open at once (tabs).
stack_start() {
  EXTRA_CONFIG=$'ws.rate_per_second = 1000000\nws.rate_burst = 1000000\nws.max_connections_per_user = 100' \
  AUTH_RATE=1000r/s AUTH_BURST=1000 "$src/scripts/stack.sh" start "$stack"
}
stack_start >"$stack/start.log" 2>&1 || { tail "$stack/start.log"; exit 1; }
ws_pid=$(cat "$stack/run/ws-daemon.pid")
db_pid=$(cat "$stack/run/mariadb.pid")

# A fresh Node peer for each scenario, so that its memory starts from nothing too.
start_peer() {
  local p
  p=$(free_port)
  node "$src/bench/node_relay.mjs" "$p" >"$stack/peer.log" 2>&1 &
  peer_pid=$!
  for _ in $(seq 100); do grep -q listening "$stack/peer.log" && { peer_port=$p; return; }; sleep 0.1; done
  echo "bench: the Node peer did not start" >&2
  exit 1
}

# Runs the load generator for one scenario against ws-daemon and then the Node peer.
# Results land in $out/NAME.daemon and $out/NAME.peer as key=value lines.
both() {
  local name=$1
  shift
  "$loadgen" "$@" --config "$stack/videochat.conf" --server-pids "$ws_pid,$db_pid" \
    >"$out/$name.daemon" 2>>"$out/loadgen.log" || echo "bench: $name against ws-daemon failed" >&2
  start_peer
  "$loadgen" "$@" --port "$peer_port" --server-pids "$peer_pid" \
    >"$out/$name.peer" 2>>"$out/loadgen.log" || echo "bench: $name against the peer failed" >&2
  stop_peer
}
get() { grep -m1 "^$2=" "$out/$1" 2>/dev/null | cut -d= -f2- || true; }

# The machine is shared: a scenario runs 3 rounds, ws-daemon and the peer alternating, and the
# round with the median KEY stands for each side (NAME.daemon, NAME.peer).
rounds() {
  local name=$1 key=$2
  shift 2
  for round in 1 2 3; do both "$name$round" "$@"; done
  for side in daemon peer; do
    for round in 1 2 3; do echo "$(get "$name$round.$side" "$key") $name$round.$side"; done |
      sort -g | awk 'NR == 2 { print $2 }' | xargs -I{} cp "$out/{}" "$out/$name.$side"
  done
}

# CPU ticks used so far by the given processes (utime + stime).
ticks() { for p in "$@"; do sed 's/.*) //' "/proc/$p/stat"; done | awk '{ t += $12 + $13 } END { print t + 0 }'; }

# ---- 5. Call setup in Chromium: first, while the user directory holds only its two users ----
if [[ "$skip" != *5* ]]; then
  echo "bench: 5. call setup in Chromium" >&2
  VC_HTTPS_PORT=$HTTPS_PORT VC_STACK_DIR=$stack VC_SRC_DIR=$src BENCH_CALLS=${BENCH_CALLS:-10} \
    timeout 600 node "$src/bench/call_setup.mjs" >"$out/call" 2>"$out/call.log" ||
    { echo "bench: call setup failed:" >&2; tail -5 "$out/call.log" >&2; }
fi

# ---- 4. Session check through nginx with wrk --------------------------------------------------
echo "bench: 4. session check with wrk" >&2
origin="https://localhost:$HTTPS_PORT"
user="bench_$$"
body="{\"username\":\"$user\",\"password\":\"a long enough bench password\"}"
curl -sk -o /dev/null "$origin/api/register" -H 'Content-Type: application/json' -H "Origin: $origin" -d "$body"
cookie=$(curl -sk -D - -o /dev/null "$origin/api/login" -H 'Content-Type: application/json' \
  -H "Origin: $origin" -d "$body" | grep -io '__Host-session=[A-Za-z0-9_-]*')
nginx_pids=$(pgrep -d ' ' -P "$(cat "$stack/run/nginx.pid")")
fcgi_pid=$(cat "$stack/run/fcgi-app.pid")

# Prints "requests/s p50_ms p99_ms server_cores wrk_cores" for one wrk run; server = the pids given.
measure() {
  local pids=$1
  shift
  local t0 t1 tw
  t0=$(ticks $pids)
  TIMEFORMAT='%U %S'
  tw=$( { time wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" >"$out/wrk.txt"; } 2>&1 )
  t1=$(ticks $pids)
  awk -v t0="$t0" -v t1="$t1" -v tw="$tw" -v hz="$(getconf CLK_TCK)" -v s="$duration" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    END { split(tw, w, " "); printf "%.0f %.2f %.2f %.2f %.2f\n", rps, p50, p99, (t1 - t0) / hz / s, (w[1] + w[2]) / s }' "$out/wrk.txt"
}
read -r api_rps api_p50 api_p99 api_cores api_wrk < <(measure "$nginx_pids $fcgi_pid $db_pid" -H "Cookie: $cookie" "$origin/api/me")
read -r static_rps static_p50 static_p99 static_cores static_wrk < <(measure "$nginx_pids" "$origin/index.html")

# ---- 2, 1, 3: ws-daemon and the Node peer under the native load generator --------------------
# Idle first: ws-daemon's memory has not yet been grown by the other scenarios.
echo "bench: 2. $idle idle connections" >&2
both idle idle --idle "$idle" --per-user 1 --contacts "$contacts" --pairs 100 --seconds "$duration"
echo "bench: 1. relay, $pairs pairs, 3 rounds" >&2
rounds relay msgs_per_s relay --pairs "$pairs" --seconds 5
# Trickle ICE sends candidates back to back: 8-message bursts on one quiet call show what a
# burst waits for (Nagle's algorithm and delayed ACKs, when TCP_NODELAY is not set).
echo "bench: 1b. bursts of 8 on one call, 3 rounds" >&2
rounds burst p999_us relay --pairs 1 --burst 8 --seconds 5
echo "bench: 3. upgrades, 3 rounds" >&2
rounds upgrade upgrades_per_s upgrade --count "$upgrades"
# Every connection a different user, as in real use; each user's first connection is presence
# news (to its followers only).
echo "bench: 3b. upgrades, $distinct users of one connection each" >&2
both distinct upgrade --count "$distinct" --per-user 1
echo "bench: 6. presence, $idle users with $contacts contacts each" >&2
both presence presence --idle "$idle" --contacts "$contacts"
# Last: the restart gives ws-daemon a new pid.
echo "bench: 6b. ws-daemon restarted with $idle users online" >&2
# The loadgen runs it through sh, which passes no exported bash function on: a script file.
cat >"$stack/restart-ws.sh" <<EOF
#!/usr/bin/env bash
src='$src' stack='$stack'
. "\$src/scripts/lib/processes.sh"
$(declare -f stack_start)
pid=\$(cat "\$stack/run/ws-daemon.pid")
kill -9 "\$pid"
while running "\$pid"; do sleep 0.05; done
stack_start >>"\$stack/restart.log" 2>&1
EOF
"$loadgen" presence --idle "$idle" --contacts "$contacts" --restart-cmd "bash $stack/restart-ws.sh" \
  --config "$stack/videochat.conf" --server-pids "$ws_pid,$db_pid" >"$out/restart.daemon" 2>>"$out/loadgen.log" ||
  echo "bench: the restart scenario failed" >&2

# ---- The table --------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b + 0 > 0) printf "%.2f", a / b; else printf "-" }'; }
ms() { awk -v u="$1" 'BEGIN { if (u == "") printf "-"; else printf "%.2f", u / 1000 }'; }
kib() { awk -v b="$1" 'BEGIN { if (b == "") printf "-"; else printf "%.1f KiB", b / 1024 }'; }
first() { echo "${1%%,*}"; }
# measurement, videochat, peer, ratio, what the peer is, cores used
row() { printf '%-52s %11s %11s %6s  %-26s %s\n' "$@"; }
# The peers, named in each section's first row so a reader knows what the ratio is against.
kNodePeer="Node ws relay"
kStaticPeer="nginx, static file"
kCallPeer="ideal exchange, 1 page"

echo
echo "videochat benchmarks — $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(date -u '+%Y-%m-%d %H:%M UTC'), loopback only"
row "measurement" "videochat" "peer" "ratio" "peer is" "cores used: videochat / peer / load generator"
r1d=relay.daemon r1p=relay.peer
row "1. relay, $(get $r1d calls) pairs: messages/s (median of 3)" "$(get $r1d msgs_per_s)" "$(get $r1p msgs_per_s)" \
  "$(ratio "$(get $r1d msgs_per_s)" "$(get $r1p msgs_per_s)")" "$kNodePeer" \
  "$(first "$(get $r1d server_cores)") / $(get $r1p server_cores) / $(get $r1d loadgen_cores), $(get $r1p loadgen_cores)"
for q in p50 p99 p999; do
  row "   relay latency $q ms" "$(ms "$(get $r1d ${q}_us)")" "$(ms "$(get $r1p ${q}_us)")" \
    "$(ratio "$(get $r1d ${q}_us)" "$(get $r1p ${q}_us)")" "$kNodePeer" ""
done
# A stalled burst is rarer than 1 in 100 and slower than 40 ms: p999 shows it, p99 only sometimes.
for q in p99 p999; do
  row "   8-message bursts, 1 call (median of 3): $q ms" "$(ms "$(get burst.daemon ${q}_us)")" \
    "$(ms "$(get burst.peer ${q}_us)")" "$(ratio "$(get burst.daemon ${q}_us)" "$(get burst.peer ${q}_us)")" "$kNodePeer" ""
done
row "2. memory per idle connection ($(get idle.daemon opened) open)" "$(kib "$(get idle.daemon bytes_per_conn)")" \
  "$(kib "$(get idle.peer bytes_per_conn)")" "$(ratio "$(get idle.daemon bytes_per_conn)" "$(get idle.peer bytes_per_conn)")" "$kNodePeer" ""
row "   relay p99 ms, $(get idle.daemon calls) pairs beside them" "$(ms "$(get idle.daemon p99_us)")" \
  "$(ms "$(get idle.peer p99_us)")" "$(ratio "$(get idle.daemon p99_us)" "$(get idle.peer p99_us)")" "$kNodePeer" \
  "$(first "$(get idle.daemon server_cores)") / $(get idle.peer server_cores) / $(get idle.daemon loadgen_cores), $(get idle.peer loadgen_cores)"
u_d=upgrade.daemon u_p=upgrade.peer
row "3. upgrades/s (peer checks no session), median of 3" "$(get $u_d upgrades_per_s)" "$(get $u_p upgrades_per_s)" \
  "$(ratio "$(get $u_d upgrades_per_s)" "$(get $u_p upgrades_per_s)")" "$kNodePeer" \
  "$(get $u_d server_cores | sed 's/,/ + MariaDB /') / $(get $u_p server_cores) / $(get $u_d loadgen_cores), $(get $u_p loadgen_cores)"
row "   upgrades/s, $(get distinct.daemon opened) users of 1 connection each" "$(get distinct.daemon upgrades_per_s)" \
  "$(get distinct.peer upgrades_per_s)" "$(ratio "$(get distinct.daemon upgrades_per_s)" "$(get distinct.peer upgrades_per_s)")" "$kNodePeer" \
  "$(get distinct.daemon server_cores | sed 's/,/ + MariaDB /') / $(get distinct.peer server_cores) / $(get distinct.daemon loadgen_cores), $(get distinct.peer loadgen_cores)"
p_d=presence.daemon p_p=presence.peer
row "6. presence: $(get $p_d opened) users, $(get $p_d contacts) contacts each: s to settle" "$(get $p_d settle_s)" \
  "$(get $p_p settle_s)" "$(ratio "$(get $p_d settle_s)" "$(get $p_p settle_s)")" "$kNodePeer" \
  "$(get $p_d server_cores | sed 's/,/ + MariaDB /') / $(get $p_p server_cores) / $(get $p_d loadgen_cores), $(get $p_p loadgen_cores)"
row "   s until the last hello" "$(get $p_d hello_all_s)" "$(get $p_p hello_all_s)" \
  "$(ratio "$(get $p_d hello_all_s)" "$(get $p_p hello_all_s)")" "$kNodePeer" ""
row "   presence messages per join (batches)" "$(get $p_d batches_per_join)" "$(get $p_p batches_per_join)" \
  "$(ratio "$(get $p_d batches_per_join)" "$(get $p_p batches_per_join)")" "$kNodePeer" ""
row "   users told of per join" "$(get $p_d users_told_per_join)" "$(get $p_p users_told_per_join)" \
  "$(ratio "$(get $p_d users_told_per_join)" "$(get $p_p users_told_per_join)")" "$kNodePeer" ""
row "   kill -9, restart: s until $(get restart.daemon resubscribed) back, settled" \
  "$(get restart.daemon restart_settle_s)" "" "" "(goal: 10 s)" ""
row "4. GET /api/me (wrk -c$connections): req/s" "$api_rps" "$static_rps" "$(ratio "$api_rps" "$static_rps")" "$kStaticPeer" \
  "$api_cores (nginx+fcgi-app+MariaDB) / $static_cores (nginx) / $api_wrk, $static_wrk"
row "   p50 ms" "$api_p50" "$static_p50" "$(ratio "$api_p50" "$static_p50")" "$kStaticPeer" ""
row "   p99 ms" "$api_p99" "$static_p99" "$(ratio "$api_p99" "$static_p99")" "$kStaticPeer" ""
if [ -s "$out/call" ]; then
  row "5. call setup, Accept → first frame, median of $(get call calls)" "" "" "" "" ""
  for d in 0 50; do
    for side in callee caller; do
      row "   at the $side, ms, ${d} ms to the server" "$(get call app_${side}_ms_d$d)" "$(get call ideal_${side}_ms_d$d)" \
        "$(ratio "$(get call app_${side}_ms_d$d)" "$(get call ideal_${side}_ms_d$d)")" "$kCallPeer" ""
    done
  done
fi
echo "ratio = videochat / peer (higher is better for rates, lower for times and memory)."
echo "load average (1 min) before: $load_before, after: $(cut -d' ' -f1 /proc/loadavg) — other work on the machine shows in the cores column."
echo "1-3: the native generator straight to ws-daemon's plain port (127.0.0.1), not through nginx; the peer is"
echo "     bench/node_relay.mjs, the same relay in Node.js on the ws package, one process."
echo "4: the peer is nginx answering a static file on the same TLS listener (no FastCGI, no database)."
if [ -s "$out/call" ]; then
  echo "5: the peer is the ideal exchange: two RTCPeerConnections in one page with the same fake media and"
  echo "   constraints, the caller's offer applied while it rang, one hop via the server after Accept, the"
  echo "   callee's camera opening meanwhile. \"N ms to the server\": each signaling message waits N ms on"
  echo "   the way to or from each person (media does not)."
fi
errors=$(cat "$out"/idle.* "$out"/relay[123].* "$out"/burst[123].* "$out"/upgrade[123].* "$out"/distinct.* "$out"/presence.* | awk -F= '/^(errors|unexpected_closes|refused)=/ { n += $2 } END { print n + 0 }')
echo "6: the peer keeps the same subscriptions and 0.5 s batches; settle = from the first connect to the last hello"
echo "   or presence message; \"users told of per join\" counts the ids in all batches over the users who joined."
echo "errors, refusals and unexpected closes in 1-3 and 6: $errors"
if [ -s "$out/call" ]; then
  for d in 0 50; do
    echo "5, each call at ${d} ms (ms): callee $(get call app_callee_all_ms_d$d); caller $(get call app_caller_all_ms_d$d)"
  done
fi
