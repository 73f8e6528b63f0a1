#!/bin/bash
# PID 1 of one lab host, run by `unshare --mount --pid --uts --fork`. It gives the host its own
# view of the machine (hostname, private dirs, Pi and cgroup looks, slow disk), starts sshd and the
# services that are enabled, then reaps orphans like an init. Killing it is a power loss: the
# kernel kills every process of the PID namespace and the mount namespace goes with them.
set -euo pipefail
: "${LAB_HOST_DIR:?}" "${LAB_HOST_NAME:?}" "${LAB_HOST_ADDR:?}" "${LAB_ASSETS:?}"

# /proc is still the machine's here, so /proc/self/stat names our PID as the lab sees it.
read -r outer_pid _ < /proc/self/stat
echo "$outer_pid" > "$LAB_HOST_DIR/init.pid"

mount --make-rprivate /
hostname "$LAB_HOST_NAME"
mount -t proc proc /proc
# /run and /tmp start empty at every boot, as tmpfs does on a real host. The lab's own files may
# live under /tmp (or /root), so they are reached through /run/lab from here on.
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/sshd /run/lab-units /run/lab/host /run/lab/bin /run/lab/assets
mount --bind "$LAB_HOST_DIR" /run/lab/host
mount --bind "$LAB_HOST_DIR/../../bin" /run/lab/bin
mount --bind "$LAB_ASSETS" /run/lab/assets
host_dir=/run/lab/host
assets=/run/lab/assets
disk=$host_dir/disk

bind() { mount --bind "$1" "$2"; }
bind "$disk/etc-rancher" /etc/rancher
bind "$disk/var-lib-rancher" /var/lib/rancher
bind "$disk/usr-local-bin" /usr/local/bin
bind "$disk/var-log" /var/log
bind "$disk/boot" /boot
bind "$disk/systemd-system" /etc/systemd/system
bind "$disk/root" /root
bind "$disk/home" /home/fleet
bind "$host_dir/etc/hosts" /etc/hosts
bind "$host_dir/etc/hostname" /etc/hostname
# A machine-id of its own, as systemd writes one at a real machine's first boot.
[ -e "$host_dir/etc/machine-id" ] && bind "$host_dir/etc/machine-id" /etc/machine-id
mount -t tmpfs -o mode=1777 tmpfs /tmp
# A boot id of its own, new at every boot, as the kernel gives a real machine.
cat /proc/sys/kernel/random/uuid > /run/lab-boot-id
bind /run/lab-boot-id /proc/sys/kernel/random/boot_id
bind "$assets/host/systemctl" /usr/bin/systemctl
bind "$assets/host/journalctl" /usr/bin/journalctl
[ -e /usr/bin/timedatectl ] && bind "$assets/host/timedatectl" /usr/bin/timedatectl

if [ "${LAB_HOST_PI:-}" = 1 ]; then
  bind /run/lab/bin/uname-pi /usr/bin/uname
  bind /run/lab/bin/uname-pi /usr/bin/arch
  mount -t tmpfs -o mode=755 tmpfs /sys/firmware
  mkdir -p /sys/firmware/devicetree/base
  printf 'Raspberry Pi 4 Model B Rev 1.4\0' > /sys/firmware/devicetree/base/model
  cp /proc/cpuinfo /run/lab-cpuinfo
  printf 'Model\t\t: Raspberry Pi 4 Model B Rev 1.4\n' >> /run/lab-cpuinfo
  bind /run/lab-cpuinfo /proc/cpuinfo
fi

# Memory cgroup off, unless cmdline.txt turns it on (what fixing a Pi and rebooting does).
if [ "${LAB_HOST_NO_MEMCG:-}" = 1 ] && ! grep -qs 'cgroup_enable=memory' /boot/firmware/cmdline.txt; then
  awk '$1 == "memory" { $4 = 0; print; next } { print }' OFS='\t' /proc/cgroups > /run/lab-cgroups
  bind /run/lab-cgroups /proc/cgroups
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    tr ' ' '\n' < /sys/fs/cgroup/cgroup.controllers | grep -vx memory | paste -sd ' ' > /run/lab-cgroup-controllers || true
    bind /run/lab-cgroup-controllers /sys/fs/cgroup/cgroup.controllers
  fi
  if [ -d /sys/fs/cgroup/memory ]; then
    mount -t tmpfs -o ro,mode=555 tmpfs /sys/fs/cgroup/memory
  fi
fi

if [ "${LAB_HOST_SLOW_DISK_MS:-0}" != 0 ]; then
  # The FUSE daemon lives in this PID namespace, so a crash takes the disk's driver down too.
  /usr/bin/python3 "$assets/host/slowfs.py" "$disk/var-lib-rancher" /var/lib/rancher "$LAB_HOST_SLOW_DISK_MS" \
    >> /var/log/slowfs.log 2>&1 &
  for _ in $(seq 100); do
    grep -q ' /var/lib/rancher fuse' /proc/self/mounts && break
    sleep 0.05
  done
  grep -q ' /var/lib/rancher fuse' /proc/self/mounts || { echo "slow disk did not mount" >&2; exit 1; }
fi

cd /
/usr/sbin/sshd -D -f "$host_dir/sshd_config" -E /var/log/sshd.log &

# Boot starts what is enabled, as systemd does for multi-user.target.
for unit in /etc/systemd/system/multi-user.target.wants/*.service; do
  [ -e "$unit" ] || continue
  name=$(basename "$unit" .service)
  systemctl start --no-block "$name" > /dev/null 2>&1 || true
done

touch "$host_dir/booted"
# `reboot` / `shutdown` on the host (the lab's systemctl) end the init with SIGTERM: the kernel
# then kills every process of the host, and power.sh boots it again if a reboot was asked for.
trap 'exit 0' TERM
# Reap orphans: bash collects every exited child in its SIGCHLD handler while it waits.
while :; do
  sleep 3600 &
  wait $! || true
done
