#!/bin/sh
# Read-only view of the cluster from one server: the node list and the etcd member list.
# Streamed with `sh -s` as root. Each part is framed like the facts script
# (@@fleet:begin NAME@@ … @@fleet:end NAME rc=N@@) so fleet can use what it got even when one
# part fails (etcd down, API not up yet).
set -u

begin() { printf '@@fleet:begin %s@@\n' "$1"; }
end() { printf '\n@@fleet:end %s rc=%s@@\n' "$1" "$2"; }

begin nodes
if [ -x /usr/local/bin/k3s ] && [ -f /etc/rancher/k3s/k3s.yaml ]; then
  /usr/local/bin/k3s kubectl get nodes -o json --request-timeout=5s 2>&1
  end nodes $?
else
  echo 'no kubeconfig on this host (/etc/rancher/k3s/k3s.yaml)'
  end nodes 1
fi

# K3s writes the settings of its embedded etcd here; reading them keeps fleet right for whatever
# addresses and certificates this server uses.
cfg=/var/lib/rancher/k3s/server/db/etcd/config
tls=/var/lib/rancher/k3s/server/tls/etcd
if [ ! -f "$cfg" ]; then
  begin etcd-members
  echo 'no embedded etcd on this host'
  end etcd-members 1
  exit 0
fi
url=$(sed -n 's/^advertise-client-urls: *//p' "$cfg" | tr -d '"' | cut -d, -f1)
if grep -q '^client-transport-security:' "$cfg"; then
  set -- --cacert "$tls/server-ca.crt" --cert "$tls/client.crt" --key "$tls/client.key"
else
  set --
fi
begin etcd-members
curl -sS --max-time 5 "$@" -X POST -d '{}' "$url/v3/cluster/member/list" 2>&1
end etcd-members $?
begin etcd-health
curl -sS --max-time 5 "$@" "$url/health" 2>&1
end etcd-health $?
