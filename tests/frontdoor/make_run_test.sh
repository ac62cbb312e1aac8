#!/usr/bin/env bash
# The README's first command, the way a person types it: a clean clone of this checkout's
# committed tree, `make run` under a terminal, the https URL it prints, an account registered
# and logged in over HTTPS, Ctrl-C typed into the terminal, nothing left running; then
# `make run HTTPS_PORT=9443` finds the same user and stops on SIGTERM; a start that cannot
# succeed says why in one line and leaves nothing behind. Ends with "frontdoor: N passed, M failed".
# Usage: tests/frontdoor/make_run_test.sh
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/tests/lib/check.sh"
. "$src/scripts/lib/ports.sh"
. "$src/scripts/lib/processes.sh"

tmp=$(mktemp -d /tmp/videochat-frontdoor.XXXXXX)
clone="$tmp/videochat"
run_pid=""

# Whatever happens, the clone's stack is stopped and the folder removed.
cleanup() {
  [ -n "$run_pid" ] && kill -TERM "$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null
  [ -d "$clone/var" ] && "$clone/scripts/stack.sh" stop "$clone/var" >/dev/null 2>&1
  exec 7>&- 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap "exit 1" INT TERM HUP

# Processes of this clone's stack (their command lines name the clone's folder), zombies aside.
leftovers() {
  local pid
  for pid in $(pgrep -f -- "$clone/" || true); do
    running "$pid" || continue
    [ "$pid" = "$$" ] || ps -o pid=,args= -p "$pid"
  done
}
nothing_left() {
  local i out
  for i in $(seq 50); do
    out=$(leftovers)
    [ -z "$out" ] && return 0
    sleep 0.2
  done
  echo "$out"
  return 1
}

# `make ARGS` in the clone under a pseudo-terminal, as in a terminal window; its output is
# $tmp/NAME.log, and what is written to fd 7 is typed into that terminal.
start_make() {  # name, make arguments...
  local name=$1; shift
  log="$tmp/$name.log"
  rm -f "$tmp/tty"
  mkfifo "$tmp/tty"
  exec 7<>"$tmp/tty"
  (cd "$clone" && exec script -qfec "exec make $*" /dev/null <"$tmp/tty" >"$log" 2>&1) &
  run_pid=$!
}

# Waits for the line that `make run` prints once the stack is up; fails if make ends first.
wait_for_url() {  # url, seconds
  local i
  for i in $(seq $(($2 * 5))); do
    grep -qF "running at $1" "$log" && return 0
    kill -0 "$run_pid" 2>/dev/null || { echo "make ended first:"; tail -20 "$log"; return 1; }
    sleep 0.2
  done
  echo "no URL after $2 s:"; tail -20 "$log"
  return 1
}

wait_for_exit() {  # seconds
  local i
  for i in $(seq $(($1 * 5))); do
    kill -0 "$run_pid" 2>/dev/null || { wait "$run_pid"; run_pid=""; return 0; }
    sleep 0.2
  done
  echo "still running after $1 s"
  return 1
}

# POSTs JSON over HTTPS as the page would (same-origin Origin header); prints the status.
post() {  # port, path, json
  curl -sk -o "$tmp/body" -w '%{http_code}' -c "$tmp/cookies" -H 'Content-Type: application/json' \
    -H "Origin: https://localhost:$1" --data "$3" "https://localhost:$1$2"
}
me() {  # port: GET /api/me with the session cookie; prints the body
  curl -skf -b "$tmp/cookies" "https://localhost:$1/api/me"
}
registers() {  # port
  local status
  status=$(post "$1" /api/register "{\"username\":\"$user\",\"password\":\"$password\"}")
  [ "$status" = 201 ] || { echo "register answered $status: $(cat "$tmp/body")"; return 1; }
}
logs_in() {  # port
  rm -f "$tmp/cookies"
  local status
  status=$(post "$1" /api/login "{\"username\":\"$user\",\"password\":\"$password\"}")
  [ "$status" = 200 ] || { echo "login answered $status: $(cat "$tmp/body")"; return 1; }
  grep -q '__Host-session' "$tmp/cookies" || { echo "no session cookie"; return 1; }
  me "$1" | grep -q "\"username\":\"$user\""
}

git clone -q "$src" "$clone" || { echo "git clone failed"; finish_checks frontdoor; exit 1; }
user="door_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
password="correct horse battery staple"

# The defaults when they are free, as on a fresh machine; otherwise (a developer's `make run`
# beside this test) every port moved through the documented variables.
ports=()
first=8443 second=9443
if port_open 8443 || port_open 8080 || port_open 8090 || port_open 3478 || port_open 5349 ||
    port_open 9443; then
  first=$(free_port) second=$(free_port)
  ports=("HTTP_PORT=$(free_port)" "WS_PORT=$(free_port)" "TURN_PORT=$(free_port)" "TURN_TLS_PORT=$(free_port)")
  first_args=("HTTPS_PORT=$first" "${ports[@]}")
else
  first_args=()
fi
echo "# first run: make run ${first_args[*]}"

# 1. A fresh clone: make run installs, builds, starts, prints the URL and how to try a call.
start_make first run "${first_args[@]}"
check "make run prints https://localhost:$first/" wait_for_url "https://localhost:$first/" 1200
check "it says how to try a call alone" grep -q "private window" "$log"
check "an account registers over HTTPS" registers "$first"
check "the new account logs in over HTTPS" logs_in "$first"

# 2. Ctrl-C typed into the terminal stops everything it started.
printf '\003' >&7
check "Ctrl-C ends make run" wait_for_exit 90
check "it said it was stopping" grep -q "stack: stopping" "$log"
check "nothing of the stack is left after Ctrl-C" nothing_left

# 3. Again, on another port: the same user logs in; SIGTERM (as from kill or systemd) stops it.
start_make second run "HTTPS_PORT=$second" "${ports[@]}"
check "make run HTTPS_PORT=$second prints https://localhost:$second/" \
  wait_for_url "https://localhost:$second/" 300
check "the same user logs in after a restart" logs_in "$second"
kill -TERM "$(pgrep -P "$run_pid")"  # the make that script runs, as `kill PID` would
check "SIGTERM ends make run" wait_for_exit 90
check "nothing of the stack is left after SIGTERM" nothing_left

# 4. A start that cannot succeed says what failed in one line and stops what it had started.
holder_port=$second
node -e "require('net').createServer().listen($holder_port, '127.0.0.1')" &
holder=$!
for _ in $(seq 50); do port_open "$holder_port" && break; sleep 0.1; done
start_make busy run "HTTPS_PORT=$holder_port" "${ports[@]}"
check "a busy port ends make run" wait_for_exit 120
check "it names the busy port and the variable that moves it" \
  grep -q "port $holder_port (HTTPS_PORT, for nginx) is already in use" "$log"
check "nothing of the stack is left after a failed start" nothing_left
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

mv "$clone/var/secrets" "$clone/var/secrets.kept" && touch "$clone/var/secrets"
start_make broken run "${first_args[@]}"
check "an unexpected failure ends make run" wait_for_exit 120
check "it names the failing line and the logs" \
  grep -q "stack: failed at scripts/stack.sh line [0-9]*: .* (logs in $clone/var/log)" "$log"
check "nothing of the stack is left after that failure" nothing_left
rm -f "$clone/var/secrets" && mv "$clone/var/secrets.kept" "$clone/var/secrets"

finish_checks frontdoor
