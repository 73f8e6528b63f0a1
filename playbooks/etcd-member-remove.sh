#!/bin/sh
# Remove one etcd member through the local server's etcd (v3 JSON gateway). Streamed with
# `sh -s` as root; fleet runs it only after the quorum check and the user's confirmation.
#   FLEET_MEMBER_ID   the member's ID as etcd prints it (decimal)
set -u
: "${FLEET_MEMBER_ID:?FLEET_MEMBER_ID is required}"
case "$FLEET_MEMBER_ID" in
  *[!0-9]*) echo "fleet: not a member ID: $FLEET_MEMBER_ID" >&2; exit 2 ;;
esac

cfg=/var/lib/rancher/k3s/server/db/etcd/config
tls=/var/lib/rancher/k3s/server/tls/etcd
[ -f "$cfg" ] || { echo 'no embedded etcd on this host' >&2; exit 1; }
url=$(sed -n 's/^advertise-client-urls: *//p' "$cfg" | tr -d '"' | cut -d, -f1)
if grep -q '^client-transport-security:' "$cfg"; then
  set -- --cacert "$tls/server-ca.crt" --cert "$tls/client.crt" --key "$tls/client.key"
else
  set --
fi
curl -sS --fail --max-time 10 "$@" -X POST -d "{\"ID\":\"$FLEET_MEMBER_ID\"}" "$url/v3/cluster/member/remove"
