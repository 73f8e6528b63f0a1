#!/usr/bin/env bash
# Install what fleet's tests, lab and demo need, only when it is missing:
# npm packages (npm ci) and, as root on Debian, the lab's Debian packages (apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."

need_npm() {
  [ -d node_modules ] || return 0
  [ node_modules/.package-lock.json -nt package-lock.json ] || return 0
  return 1
}
if need_npm; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# command or file -> Debian package that provides it
apt_wanted=(
  "/usr/sbin/sshd:openssh-server"
  "/usr/bin/ssh:openssh-client"
  "/usr/bin/sudo:sudo"
  "/usr/bin/etcd:etcd-server"
  "/usr/bin/etcdctl:etcd-client"
  "/usr/bin/fio:fio"
  "/usr/bin/fusermount3:fuse3"
  "/usr/lib/python3/dist-packages/fusepy.py:python3-fusepy"
  "/usr/bin/openssl:openssl"
  "/usr/bin/shellcheck:shellcheck"
  "/usr/bin/ps:procps"
  "/usr/bin/curl:curl"
)
missing=()
for pair in "${apt_wanted[@]}"; do
  [ -e "${pair%%:*}" ] || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: install them as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
