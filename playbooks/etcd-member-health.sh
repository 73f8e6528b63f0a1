#!/bin/sh
# Ask every etcd member for its own /health, from one server (members listen for clients on
# their node address). Streamed with `sh -s` as root.
#   FLEET_CLIENT_URLS   space-separated client URLs, from etcd's own member list
# Prints one line per URL: `health <url> <curl exit status> <response on one line>`.
set -u
: "${FLEET_CLIENT_URLS:?FLEET_CLIENT_URLS is required}"

cfg=/var/lib/rancher/k3s/server/db/etcd/config
tls=/var/lib/rancher/k3s/server/tls/etcd
if [ -f "$cfg" ] && grep -q '^client-transport-security:' "$cfg"; then
  set -- --cacert "$tls/server-ca.crt" --cert "$tls/client.crt" --key "$tls/client.key"
else
  set --
fi
for url in $FLEET_CLIENT_URLS; do
  body=$(curl -sS --max-time 3 "$@" "$url/health" 2>&1)
  rc=$?
  printf 'health %s %s %s\n' "$url" "$rc" "$(printf '%s' "$body" | tr '\n' ' ')"
done
