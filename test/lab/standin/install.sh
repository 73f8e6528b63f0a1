#!/bin/sh
# The lab's stand-in for the K3s install script (get.k3s.io), honouring the same interface:
# INSTALL_K3S_EXEC, INSTALL_K3S_VERSION, INSTALL_K3S_SKIP_DOWNLOAD, INSTALL_K3S_SKIP_ENABLE,
# INSTALL_K3S_SKIP_START, INSTALL_K3S_FORCE_RESTART, K3S_URL, K3S_TOKEN, K3S_TOKEN_FILE.
# The lab has no internet, so the k3s binary must already be at /usr/local/bin/k3s.
# Every install is recorded in /var/log/k3s-standin/events.log for the lab's tests.
set -e

BIN_DIR=/usr/local/bin
SYSTEMD_DIR=/etc/systemd/system
EVENTS=/var/log/k3s-standin/events.log
VERSION_FILE=$BIN_DIR/.k3s-version

info() { echo "[INFO]  $*"; }
fatal() { echo "[ERROR]  $*" >&2; exit 1; }

SUDO=''
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
# write FILE / append FILE: stdin to a root-owned file. As root (how fleet runs it) the shell's own
# redirection does it: every process this script starts costs CPU on the lab's shared cores.
if [ -n "$SUDO" ]; then
  write() { $SUDO tee "$1" > /dev/null; }
  append() { $SUDO tee -a "$1" > /dev/null; }
else
  write() { cat > "$1"; }
  append() { cat >> "$1"; }
fi

# Which service: an explicit server/agent in INSTALL_K3S_EXEC wins, else K3S_URL means agent.
# Split INSTALL_K3S_EXEC into words as the real script does, without expanding globs.
set -f
# shellcheck disable=SC2086
set -- ${INSTALL_K3S_EXEC:-}
set +f
case ${1:-} in
  server | agent) CMD_K3S=$1; shift ;;
  *) if [ -n "${K3S_URL:-}" ]; then CMD_K3S=agent; else CMD_K3S=server; fi ;;
esac
if [ -n "${K3S_URL:-}" ]; then
  case $K3S_URL in
    https://*) ;;
    *) fatal "Only https:// URLs are supported for K3S_URL (have $K3S_URL)" ;;
  esac
  if [ "$CMD_K3S" = agent ] && [ -z "${K3S_TOKEN:-}" ] && [ -z "${K3S_TOKEN_FILE:-}" ]; then
    fatal "Defaulted k3s exec command to 'agent' because K3S_URL is defined, but K3S_TOKEN or K3S_TOKEN_FILE is not defined."
  fi
fi
if [ "$CMD_K3S" = server ]; then
  SYSTEM_NAME=k3s
  SYSTEMD_TYPE=notify
  UNINSTALL_NAME=k3s-uninstall.sh
else
  SYSTEM_NAME=k3s-agent
  SYSTEMD_TYPE='exec'
  UNINSTALL_NAME=k3s-agent-uninstall.sh
fi
UNIT_FILE=$SYSTEMD_DIR/$SYSTEM_NAME.service
ENV_FILE=$SYSTEMD_DIR/$SYSTEM_NAME.service.env

if [ "${INSTALL_K3S_SKIP_DOWNLOAD:-}" != true ]; then
  fatal "no internet in the lab: put the k3s binary at $BIN_DIR/k3s and set INSTALL_K3S_SKIP_DOWNLOAD=true"
fi
[ -x "$BIN_DIR/k3s" ] || fatal "INSTALL_K3S_SKIP_DOWNLOAD=true but there is no executable $BIN_DIR/k3s"

installed_hashes() {
  $SUDO sha256sum "$BIN_DIR/k3s" "$VERSION_FILE" "$UNIT_FILE" "$ENV_FILE" 2>&1 || true
}
PRE_INSTALL_HASHES=$(installed_hashes)

# The events log is not secret and tests read it as the lab user: world-readable whatever the umask
# (u=rwX,go=rX: 755 on the directory, 644 on the log, in one chmod).
record() {
  if [ -n "$SUDO" ]; then
    printf '%s %s\n' "$(date +%s.%3N)" "$1" | append "$EVENTS"
  else
    printf '%s %s\n' "$(date +%s.%3N)" "$1" >> "$EVENTS"
  fi
}
$SUDO mkdir -p "${EVENTS%/*}"
record "install $SYSTEM_NAME version=${INSTALL_K3S_VERSION:-unchanged}"
$SUDO chmod u=rwX,go=rX "${EVENTS%/*}" "$EVENTS"
# And when it ends, however it ends: tests measure how many installs overlapped.
record_installed() {
  record "installed $SYSTEM_NAME status=$1"
}
trap 'record_installed $?' EXIT

# Test knob, one shot: seconds to sleep here, so a test can crash the host, cut its SSH or let
# fleet's install timeout fire while an install is running. Removed before sleeping.
DELAY_FILE=/etc/rancher/k3s/standin-install-delay
if [ -f "$DELAY_FILE" ]; then
  delay=$($SUDO cat "$DELAY_FILE")
  $SUDO rm -f "$DELAY_FILE"
  info "standin: sleeping ${delay}s (test knob)"
  sleep "$delay"
fi

# The stand-in binary serves every version; the version asked for is recorded beside it.
if [ -n "${INSTALL_K3S_VERSION:-}" ]; then
  info "Using $INSTALL_K3S_VERSION as release"
  if [ -n "$SUDO" ]; then echo "$INSTALL_K3S_VERSION" | write "$VERSION_FILE"; else echo "$INSTALL_K3S_VERSION" > "$VERSION_FILE"; fi
fi
info 'Skipping k3s download and verify'

for cmd in kubectl crictl ctr; do
  if [ ! -e "$BIN_DIR/$cmd" ]; then
    info "Creating $BIN_DIR/$cmd symlink to k3s"
    $SUDO ln -sf k3s "$BIN_DIR/$cmd"
  fi
done

# The killall and uninstall scripts, modelled on what K3s's install script leaves (not copied):
# killall stops every k3s unit and kills what the units leave behind; uninstall runs killall,
# disables and deletes its own unit and env file, and, unless another k3s unit is still installed,
# removes the symlinks, /etc/rancher/k3s, /run/k3s, the data dir, /var/lib/kubelet, the binary
# and killall. Like K3s's it does not touch the cluster (the etcd member stays) and keeps
# /etc/rancher/node (the node password).
info "Creating killall script $BIN_DIR/k3s-killall.sh"
write "$BIN_DIR/k3s-killall.sh" << 'KILLALL'
#!/bin/sh
[ "$(id -u)" -eq 0 ] || exec sudo "$0" "$@"
K3S_DATA_DIR=${K3S_DATA_DIR:-/var/lib/rancher/k3s}
set -x
for service in /etc/systemd/system/k3s*.service; do
  [ -s "$service" ] && systemctl stop "$(basename "$service")"
done
# What the units leave running: K3s's containerd shims live under the data dir; in the lab the
# only such processes are the stand-in's own (etcd with its data under the data dir).
{ set +x; } 2> /dev/null
leftovers=$(ps -e -o pid= -o args= | while read -r pid args; do
  case $args in *"$K3S_DATA_DIR"/* | *"/usr/local/bin/k3s "*) echo "$pid" ;; esac
done)
set -x
# shellcheck disable=SC2086
[ -z "$leftovers" ] || kill -9 $leftovers 2> /dev/null || true
rm -rf /run/k3s /var/lib/cni
exit 0
KILLALL

info "Creating uninstall script $BIN_DIR/$UNINSTALL_NAME"
write "$BIN_DIR/$UNINSTALL_NAME" << UNINSTALL
#!/bin/sh
set -x
[ "\$(id -u)" -eq 0 ] || exec sudo "\$0" "\$@"
K3S_DATA_DIR=\${K3S_DATA_DIR:-/var/lib/rancher/k3s}
$BIN_DIR/k3s-killall.sh
if command -v systemctl; then
  systemctl disable $SYSTEM_NAME
  systemctl reset-failed $SYSTEM_NAME
  systemctl daemon-reload
fi
rm -f $UNIT_FILE
rm -f $ENV_FILE
remove_uninstall() { rm -f $BIN_DIR/$UNINSTALL_NAME; }
trap remove_uninstall EXIT
if ls $SYSTEMD_DIR/k3s*.service > /dev/null 2>&1; then
  set +x; echo 'Additional k3s services installed, skipping uninstall of k3s'; set -x
  exit
fi
for cmd in kubectl crictl ctr; do
  if [ -L $BIN_DIR/\$cmd ]; then rm -f $BIN_DIR/\$cmd; fi
done
rm -rf /etc/rancher/k3s
rm -rf /run/k3s
rm -rf /run/flannel
rm -rf "\$K3S_DATA_DIR"
rm -rf /var/lib/kubelet
rm -f $BIN_DIR/k3s $VERSION_FILE
rm -f $BIN_DIR/k3s-killall.sh
UNINSTALL
$SUDO chmod 755 "$BIN_DIR/k3s-killall.sh" "$BIN_DIR/$UNINSTALL_NAME"

# The published script's systemd steps, in its order: disable the loaded unit and remove its files,
# write the env file and the unit (ExecStart over several lines, one quoted argument a line),
# `systemctl enable <unit file path>`, `systemctl daemon-reload`, then `systemctl restart` unless
# nothing changed.
$SUDO systemctl disable "$SYSTEM_NAME" > /dev/null 2>&1 || true
$SUDO rm -f "$UNIT_FILE" "$ENV_FILE"

# The env file carries K3S_* variables (the token among them) to the service: root only.
info "env: Creating environment file $ENV_FILE"
if [ -n "$SUDO" ]; then $SUDO touch "$ENV_FILE"; else : >> "$ENV_FILE"; fi
$SUDO chmod 0600 "$ENV_FILE"
env | sed -n -E "/^(K3S|CONTAINERD)_/ { s/'/'\\\\''/g; s/=/='/; s/\$/'/; p; }" | write "$ENV_FILE"

# Each argument single-quoted on a line of its own, the lines joined by backslash continuations.
exec_lines() {
  printf '%s \\\n' "$CMD_K3S"
  for arg in "$@"; do
    printf "\t'%s' \\\\\n" "$(printf '%s' "$arg" | sed "s/'/'\\\\''/g")"
  done
}
info "systemd: Creating service file $UNIT_FILE"
write "$UNIT_FILE" << UNIT
[Unit]
Description=Lightweight Kubernetes
Documentation=https://k3s.io
Wants=network-online.target
After=network-online.target

[Install]
WantedBy=multi-user.target

[Service]
Type=$SYSTEMD_TYPE
EnvironmentFile=-/etc/default/%N
EnvironmentFile=-/etc/sysconfig/%N
EnvironmentFile=-$ENV_FILE
KillMode=process
Delegate=yes
LimitNOFILE=1048576
TimeoutStartSec=0
Restart=always
RestartSec=5s
ExecStart=$BIN_DIR/k3s \\
    $(exec_lines "$@")

UNIT

[ "${INSTALL_K3S_SKIP_ENABLE:-}" = true ] && exit 0
info "systemd: Enabling $SYSTEM_NAME unit"
$SUDO systemctl enable "$UNIT_FILE" > /dev/null
$SUDO systemctl daemon-reload > /dev/null

[ "${INSTALL_K3S_SKIP_START:-}" = true ] && exit 0
POST_INSTALL_HASHES=$(installed_hashes)
if [ "$PRE_INSTALL_HASHES" = "$POST_INSTALL_HASHES" ] && [ "${INSTALL_K3S_FORCE_RESTART:-}" != true ]; then
  info 'No change detected so skipping service start'
  exit 0
fi
info "systemd: Starting $SYSTEM_NAME"
$SUDO systemctl restart "$SYSTEM_NAME"
