#!/bin/sh
# Put the new token into /etc/rancher/k3s/config.yaml, every other line kept: a temporary file
# (0600, root) renamed over it. The token comes from FLEET_NEW_TOKEN and is written by printf, a
# shell builtin, so it is on no command line. Streamed with `sh -s` as root.
set -eu
f=/etc/rancher/k3s/config.yaml
tmp=$f.fleet-token.$$
umask 077
found=
{
  if [ -f "$f" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        token:*) printf 'token: "%s"\n' "$FLEET_NEW_TOKEN"; found=1 ;;
        *) printf '%s\n' "$line" ;;
      esac
    done < "$f"
  fi
  [ -n "$found" ] || printf 'token: "%s"\n' "$FLEET_NEW_TOKEN"
} > "$tmp"
chmod 600 "$tmp"
mv -f "$tmp" "$f"
