#!/usr/bin/env bash
# Installs the built product into DESTDIR/PREFIX (for packaging or a real server).
# Usage: scripts/install.sh DESTDIR PREFIX BUILD_DIR
set -euo pipefail
destdir=${1:-} prefix=${2:-/usr/local} build=${3:-build}
src=$(cd "$(dirname "$0")/.." && pwd)
root="$destdir$prefix"
share="$root/share/videochat"

install -d "$root/bin" "$share" "$root/share/doc/videochat" "$root/lib/systemd/system" \
  "$destdir/etc/videochat" "$destdir/etc/logrotate.d"
install -m 0755 "$build/fcgi-app/fcgi-app" "$root/bin/videochat-fcgi"
install -m 0755 "$build/shared/videochat-migrate" "$root/bin/videochat-migrate"
if [ -x "$build/ws-daemon/ws-daemon" ]; then
  install -m 0755 "$build/ws-daemon/ws-daemon" "$root/bin/videochat-ws"
fi
# share/videochat mirrors the source layout, so scripts/stack.sh can run from it (SHARE_DIR).
rm -rf "$share/public_html" "$share/migrations"
cp -r "$src/public_html" "$src/migrations" "$share/"
install -d "$share/nginx" "$share/coturn" "$share/scripts"
install -m 0644 "$src/nginx/videochat.conf.template" "$share/nginx/"
install -m 0644 "$src/coturn/turnserver.conf.template" "$share/coturn/"
install -m 0755 "$src/scripts/render-template.sh" "$src/scripts/tune-nginx.sh" "$share/scripts/"
for unit in "$src"/systemd/*.service; do
  sed "s|@PREFIX@|$prefix|g" "$unit" >"$root/lib/systemd/system/$(basename "$unit")"
done
install -m 0644 "$src/systemd/logrotate.conf" "$destdir/etc/logrotate.d/videochat"
install -m 0640 "$src/systemd/videochat.conf.example" "$destdir/etc/videochat/videochat.conf.example"
# Never overwrite a sysadmin's configuration.
if [ ! -e "$destdir/etc/videochat/videochat.conf" ]; then
  install -m 0640 "$src/systemd/videochat.conf.example" "$destdir/etc/videochat/videochat.conf"
fi
cp "$src"/docs/*.md "$src/README.md" "$root/share/doc/videochat/"
echo "installed into ${destdir:-/}${prefix}"
