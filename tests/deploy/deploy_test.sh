#!/usr/bin/env bash
# What a sysadmin gets from `make install`: the installed tree, systemd units that verify and
# score well on `systemd-analyze security`, an nginx site that passes `nginx -t` as rendered for
# production, and a logrotate config logrotate accepts. Ends with "N passed, M failed".
# Usage: tests/deploy/deploy_test.sh BUILD_DIR
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
tmp=$(mktemp -d /tmp/videochat-deploy.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/lib/check.sh"

root="$tmp/root"
"$src/scripts/install.sh" "$root" /usr/local "$src/$build" >/dev/null

expected=(
  usr/local/bin/videochat-fcgi usr/local/bin/videochat-migrate usr/local/bin/videochat-ws
  usr/local/share/videochat/public_html/index.html
  usr/local/share/videochat/migrations/001_initial.sql
  usr/local/share/videochat/nginx/videochat.conf.template
  usr/local/share/videochat/coturn/turnserver.conf.template
  usr/local/share/videochat/scripts/render-template.sh
  usr/local/share/videochat/scripts/tune-nginx.sh
  usr/local/lib/systemd/system/videochat-fcgi.service
  usr/local/lib/systemd/system/videochat-ws.service
  usr/local/share/doc/videochat/DEPLOY.md
  etc/videochat/videochat.conf etc/videochat/videochat.conf.example etc/logrotate.d/videochat
)
for f in "${expected[@]}"; do check "installs /$f" test -s "$root/$f"; done
check "config is not world-readable" test "$(stat -c %a "$root/etc/videochat/videochat.conf")" = 640
check "binaries are executable" test -x "$root/usr/local/bin/videochat-fcgi"
check "units name the installed binaries" \
  grep -q '^ExecStart=/usr/local/bin/videochat-fcgi -c /etc/videochat/videochat.conf$' \
  "$root/usr/local/lib/systemd/system/videochat-fcgi.service"

echo "public_origin = https://kept.example" >"$root/etc/videochat/videochat.conf"
"$src/scripts/install.sh" "$root" /usr/local "$src/$build" >/dev/null
check "a second install keeps the sysadmin's config" \
  grep -q kept.example "$root/etc/videochat/videochat.conf"

for unit in videochat-fcgi videochat-ws; do
  check "$unit sets its own descriptor limit" grep -q '^LimitNOFILE=[0-9]' \
    "$root/usr/local/lib/systemd/system/$unit.service"
done

# systemd: verify needs the binaries at the paths the units name, so check copies whose paths
# point into the staging tree.
for unit in videochat-fcgi videochat-ws; do
  staged="$tmp/$unit.service"
  sed "s|/usr/local/|$root/usr/local/|g" "$root/usr/local/lib/systemd/system/$unit.service" >"$staged"
  check "systemd-analyze verify $unit" bash -c "out=\$(systemd-analyze verify '$staged' 2>&1); echo \"\$out\"; [ -z \"\$out\" ]"
  exposure=$(systemd-analyze security --offline=true "$staged" 2>&1 | grep -Eo 'exposure level for [^:]*: [0-9.]+' | grep -Eo '[0-9.]+$')
  check "$unit exposure ${exposure:-unknown} <= 2.0" awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 2.0) }'
done

# nginx: the installed template rendered the production way, with a test certificate.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=chat.example.org -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
share="$root/usr/local/share/videochat"
SERVER_NAME=chat.example.org LISTEN_ADDRESS=0.0.0.0 HTTPS_PORT=443 HTTP_PORT=80 \
  TLS_CERT="$tmp/cert.pem" TLS_KEY="$tmp/key.pem" PUBLIC_HTML="$share/public_html" \
  FCGI_SOCKET=/run/videochat/fcgi.sock WS_UPSTREAM=127.0.0.1:8090 AUTH_RATE=5r/s AUTH_BURST=10 \
  SEARCH_RATE=10r/s SEARCH_BURST=20 OCSP_STAPLING=on RESOLVER=127.0.0.53 \
  "$share/scripts/render-template.sh" "$share/nginx/videochat.conf.template" >"$tmp/site.conf"
cat >"$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http { include /etc/nginx/mime.types; include $tmp/site.conf; }
CONF
check "nginx -t accepts the production site" nginx -t -q -c "$tmp/nginx.conf" -e "$tmp/error.log"
# Debian's own nginx.conf, sized for WebSockets as DEPLOY.md says, twice (it is idempotent).
sed -e "s|^pid .*|pid $tmp/nginx.pid;|" -e "s|include /etc/nginx/sites-enabled/\*;|include $tmp/site.conf;|" \
  -e "s|^error_log .*||" -e "s|access_log .*;|access_log off;|" /etc/nginx/nginx.conf >"$tmp/debian-nginx.conf"
"$share/scripts/tune-nginx.sh" "$tmp/debian-nginx.conf" && "$share/scripts/tune-nginx.sh" "$tmp/debian-nginx.conf"
check "tune-nginx sets worker_connections 32768" grep -Eq '^\s*worker_connections 32768;' "$tmp/debian-nginx.conf"
check "tune-nginx sets worker_rlimit_nofile once" test "$(grep -c '^worker_rlimit_nofile 65536;' "$tmp/debian-nginx.conf")" = 1
check "nginx -t accepts Debian's nginx.conf as tuned, with the site" \
  nginx -t -q -c "$tmp/debian-nginx.conf" -e "$tmp/error.log"
check "the production site staples OCSP" grep -q 'ssl_stapling on;' "$tmp/site.conf"
check "the renderer refuses a missing value" bash -c \
  "! SERVER_NAME=x '$share/scripts/render-template.sh' '$share/nginx/videochat.conf.template' >/dev/null 2>&1"

# logrotate: a dry run of the installed file.
# The staging machine has no videochat user: the rotated file's owner becomes ours.
sed -e "s|/var/log/videochat|$tmp/log|" -e "s|videochat videochat|$(id -un) $(id -gn)|" \
  "$root/etc/logrotate.d/videochat" >"$tmp/logrotate.conf"
mkdir -p "$tmp/log" && echo '{}' >"$tmp/log/videochat.log"
check "logrotate accepts the config" logrotate -d -s "$tmp/logrotate.state" "$tmp/logrotate.conf"
check "logrotate reopens by SIGHUP, not copytruncate" bash -c \
  "grep -q 'signal=HUP' '$tmp/logrotate.conf' && ! grep -v '^#' '$tmp/logrotate.conf' | grep -q copytruncate"

finish_checks deploy
