#!/usr/bin/env bash
# Sizes nginx's main configuration for many WebSockets (docs/DEPLOY.md, "Sizing"): each one
# holds two connections in a worker (the browser's and the one to ws-daemon), and Debian's
# nginx.conf allows 768 per worker. Idempotent.
# Usage: scripts/tune-nginx.sh [NGINX_CONF]   (default /etc/nginx/nginx.conf)
set -euo pipefail
conf=${1:-/etc/nginx/nginx.conf}
kWorkerConnections=32768
kWorkerNofile=65536

grep -q '^\s*worker_connections' "$conf" || { echo "tune-nginx: no worker_connections in $conf" >&2; exit 1; }
sed -i "s/^\(\s*worker_connections\).*/\1 $kWorkerConnections;/" "$conf"
if grep -q '^\s*worker_rlimit_nofile' "$conf"; then
  sed -i "s/^\(\s*worker_rlimit_nofile\).*/\1 $kWorkerNofile;/" "$conf"
else
  sed -i "1i worker_rlimit_nofile $kWorkerNofile;" "$conf"
fi
