#!/bin/sh
# Uninstall K3s with the scripts its install script left: the agent's, then the server's (each
# runs k3s-killall.sh first). Streamed with `sh -s` as root. Exit 0 when a script ran and
# succeeded; 3 when there is no uninstall script on this host; else the script's status.
set -u
ran=0
for script in /usr/local/bin/k3s-agent-uninstall.sh /usr/local/bin/k3s-uninstall.sh; do
  if [ -x "$script" ]; then
    echo "fleet: running $script"
    # Its own trace (set -x) is long: only the end of it is shown, and only when it fails.
    rc=0
    out=$("$script" 2>&1) || rc=$?
    if [ "$rc" != 0 ]; then
      printf '%s\n' "$out" | tail -n 5 >&2
      echo "fleet: $script failed with status $rc" >&2
      exit "$rc"
    fi
    ran=1
  fi
done
if [ "$ran" = 0 ]; then
  echo 'fleet: no k3s-uninstall.sh or k3s-agent-uninstall.sh in /usr/local/bin' >&2
  exit 3
fi
exit 0
