#!/bin/sh
# Writes a headend bundle (the JSON answer of POST /api/v1/mgmt-headend/bundles) under a swanctl
# directory: install-bundle.sh bundle.json /etc/swanctl (then: swanctl --load-all).
set -eu
umask 077
BUNDLE="$1"
DIR="${2:-/etc/swanctl}"
jq -r '.files[] | @base64' "$BUNDLE" | while read -r entry; do
  path=$(printf '%s' "$entry" | base64 -d | jq -r .path)
  case "$path" in
    /* | *..*) echo "refusing path $path" >&2; exit 1 ;;
  esac
  mkdir -p "$DIR/$(dirname "$path")"
  printf '%s' "$entry" | base64 -d | jq -r .content > "$DIR/$path"
  chmod "$(printf '%s' "$entry" | base64 -d | jq -r .mode)" "$DIR/$path"
done
echo "installed $(jq -r .connection "$BUNDLE") (certificate $(jq -r .certificateSerial "$BUNDLE")) in $DIR"
