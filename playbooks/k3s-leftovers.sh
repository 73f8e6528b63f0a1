#!/bin/sh
# What of K3s is left on this host, after an uninstall: processes, units, binaries and scripts,
# config and data. Streamed with `sh -s` as root. Prints one `left <kind> <what>` line per item
# and nothing when the host is clean.
set -u

# Processes: the k3s binary itself, or anything running out of its data dir (containerd, shims,
# and in the lab the stand-in's etcd). Matched here in the shell, so no pattern shows up in argv.
ps -e -o pid= -o args= | while read -r pid args; do
  case $args in
    /usr/local/bin/k3s\ * | *" /usr/local/bin/k3s "* | "k3s server"* | "k3s agent"* | *"/var/lib/rancher/k3s/"*)
      printf 'left process %s %s\n' "$pid" "$(printf '%s' "$args" | cut -c1-80)" ;;
  esac
done

for unit in k3s k3s-agent; do
  for file in "/etc/systemd/system/$unit.service" "/etc/systemd/system/$unit.service.env" "/etc/systemd/system/multi-user.target.wants/$unit.service"; do
    if [ -e "$file" ] || [ -L "$file" ]; then printf 'left unit %s\n' "$file"; fi
  done
done
for file in /usr/local/bin/k3s /usr/local/bin/k3s-killall.sh /usr/local/bin/k3s-uninstall.sh /usr/local/bin/k3s-agent-uninstall.sh; do
  if [ -e "$file" ]; then printf 'left binary %s\n' "$file"; fi
done
# The kubectl/crictl/ctr links the install script made (a real kubectl installed otherwise stays).
for cmd in kubectl crictl ctr; do
  if [ -L "/usr/local/bin/$cmd" ] && [ "$(readlink "/usr/local/bin/$cmd")" = k3s ]; then printf 'left symlink /usr/local/bin/%s\n' "$cmd"; fi
done
for dir in /etc/rancher/k3s /var/lib/rancher/k3s /var/lib/kubelet /run/k3s; do
  [ -e "$dir" ] || continue
  # fleet's own cluster lock (held by the run doing this check) is not K3s: a data directory
  # holding nothing else is clean, and the lock's release removes it.
  if [ "$dir" = /var/lib/rancher/k3s ] && [ -z "$(find "$dir" -mindepth 1 ! -name fleet.lock ! -name '.fleet.lock.*' -print -quit 2>/dev/null)" ]; then continue; fi
  printf 'left data %s\n' "$dir"
done
exit 0
