#!/usr/bin/env bash
# Renders a config template (nginx, coturn): every @NAME@ is replaced by the environment
# variable NAME; an unset variable is an error, so nothing half-rendered is ever served.
# Usage: NAME=value ... scripts/render-template.sh TEMPLATE > OUT
set -euo pipefail
template=$1
out=$(cat "$template")
for name in $(grep -o '@[A-Z_]*@' "$template" | sort -u | tr -d @); do
  if [ -z "${!name+x}" ]; then
    echo "render-template: $name is not set" >&2
    exit 1
  fi
  out=${out//@$name@/${!name}}
done
printf '%s\n' "$out"
