#!/bin/bash
# A lab host's power: boots the host (a fresh PID/mount/UTS namespace whose init is init.sh) and,
# when its init ends because the host asked to reboot (`reboot`, `shutdown -r`), boots it again.
# A power cut (SIGKILL to the init) or a power-off ends this loop too.
set -uo pipefail
: "${LAB_HOST_DIR:?}" "${LAB_ASSETS:?}"
while :; do
  rm -f "$LAB_HOST_DIR/reboot-requested"
  unshare --mount --pid --uts --fork --propagation private /bin/bash "$LAB_ASSETS/host/init.sh"
  [ -e "$LAB_HOST_DIR/reboot-requested" ] || exit 0
  rm -f "$LAB_HOST_DIR/booted" "$LAB_HOST_DIR/init.pid"
  echo "$(date +%s.%3N) reboot" >> "$LAB_HOST_DIR/power.log"
done
