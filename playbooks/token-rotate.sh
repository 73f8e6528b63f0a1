#!/bin/sh
# `k3s token rotate` as K3s's CLI does it, without the tokens on any command line: PUT
# /v1-k3s/token on this server with the old secret as the server user's password and
# {"newToken": ...} as the body. curl reads both from its config on stdin (printf is a shell
# builtin). Environment: FLEET_OLD_TOKEN, FLEET_NEW_TOKEN, FLEET_API_URL. Prints the answer's
# body, then its HTTP status on the last line. Streamed with `sh -s` as root.
set -u
ca=/var/lib/rancher/k3s/server/tls/server-ca.crt
old=$FLEET_OLD_TOKEN
case $old in K10*::*) old=${old#K10*::}; old=${old#*:} ;; esac
{
  printf 'user = "server:%s"\n' "$old"
  printf 'data-binary = "{\\"newToken\\":\\"%s\\"}"\n' "$FLEET_NEW_TOKEN"
} | curl -sS --max-time 60 --cacert "$ca" -X PUT -H 'Content-Type: application/json' -K - -w '\n%{http_code}\n' "$FLEET_API_URL/v1-k3s/token"
rc=$?
# K3s's CLI waits out etcd's propagation delay before saying the token was rotated.
sleep 1
exit $rc
