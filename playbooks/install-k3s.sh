#!/bin/sh
# Install or reconfigure K3s on one host. Streamed by fleet with `sh -s` as root.
# Parameters come from the environment (exported at the top of the stream, never argv):
#   FLEET_ROLE            server | agent
#   FLEET_CONFIG_STAGED   path of the new config.yaml fleet uploaded (0600); it holds the token
#   FLEET_KEEP_CONFIG     true: an upgrade, config.yaml stays as it is (FLEET_CONFIG_STAGED empty)
#   FLEET_SCRIPT_STAGED   path of an uploaded install script; empty: download get.k3s.io
#   FLEET_BINARY_STAGED   path of an uploaded k3s binary (air-gap); empty: the script downloads it
#   FLEET_REGISTRIES_STAGED  path of the new registries.yaml fleet uploaded (0600; may hold credentials)
#   FLEET_REGISTRIES_REMOVE  true: remove registries.yaml if fleet wrote it (its first line says so)
#   INSTALL_K3S_VERSION / INSTALL_K3S_CHANNEL / INSTALL_K3S_SKIP_DOWNLOAD /
#   INSTALL_K3S_FORCE_RESTART   passed through
# Prints one line `fleet-result: <what changed>` at the end.
set -eu

: "${FLEET_ROLE:?FLEET_ROLE is required}"
FLEET_KEEP_CONFIG=${FLEET_KEEP_CONFIG:-}
if [ "$FLEET_KEEP_CONFIG" != true ]; then : "${FLEET_CONFIG_STAGED:?FLEET_CONFIG_STAGED is required}"; fi
FLEET_CONFIG_STAGED=${FLEET_CONFIG_STAGED:-}
FLEET_SCRIPT_STAGED=${FLEET_SCRIPT_STAGED:-}
FLEET_BINARY_STAGED=${FLEET_BINARY_STAGED:-}
FLEET_REGISTRIES_STAGED=${FLEET_REGISTRIES_STAGED:-}
FLEET_REGISTRIES_REMOVE=${FLEET_REGISTRIES_REMOVE:-}

case "$FLEET_ROLE" in
  server) service=k3s ;;
  agent) service=k3s-agent ;;
  *) echo "fleet: unknown role '$FLEET_ROLE'" >&2; exit 2 ;;
esac

workdir=$(mktemp -d /tmp/fleet-install.XXXXXX)
cleanup() {
  rm -rf "$workdir"
  if [ -n "$FLEET_CONFIG_STAGED" ]; then rm -f "$FLEET_CONFIG_STAGED"; fi
  if [ -n "$FLEET_BINARY_STAGED" ]; then rm -f "$FLEET_BINARY_STAGED"; fi
  if [ -n "$FLEET_SCRIPT_STAGED" ]; then rm -f "$FLEET_SCRIPT_STAGED"; fi
  if [ -n "$FLEET_REGISTRIES_STAGED" ]; then rm -f "$FLEET_REGISTRIES_STAGED"; fi
}
trap cleanup EXIT

# One install at a time on this host. A run whose controller died (a killed laptop, lost Wi-Fi)
# leaves its install running here, and the next run's must not interleave with it: both rewrite
# the unit and restart the service. The kernel drops the lock when its holder exits, however it ends.
# Children get fd 9 closed (9>&-), so nothing they leave running can hold the lock.
if command -v flock > /dev/null 2>&1 && [ -d /run ]; then
  exec 9> /run/fleet-install.lock
  if ! flock -n 9; then
    echo "fleet: another install is running on this host (left by a run that was cut off?); waiting for it" >&2
    flock 9
  fi
fi

changes=""
was_active=no
if systemctl is-active --quiet "$service" 2>/dev/null; then was_active=yes; fi

# config.yaml first: the install script starts the service, which reads it.
config=/etc/rancher/k3s/config.yaml
mkdir -p /etc/rancher/k3s
if [ "$FLEET_KEEP_CONFIG" != true ] && ! cmp -s "$FLEET_CONFIG_STAGED" "$config"; then
  umask 077
  cp "$FLEET_CONFIG_STAGED" "$config.fleet-tmp"
  chmod 0600 "$config.fleet-tmp"
  mv "$config.fleet-tmp" "$config"
  changes="$changes config"
fi
if [ -f "$config" ]; then chmod 0600 "$config"; fi

# registries.yaml: K3s reads it only at start, so a change restarts the service like config.yaml.
registries=/etc/rancher/k3s/registries.yaml
if [ -n "$FLEET_REGISTRIES_STAGED" ]; then
  if ! cmp -s "$FLEET_REGISTRIES_STAGED" "$registries" || [ "$(stat -c %a "$registries")" != 600 ]; then
    umask 077
    cp "$FLEET_REGISTRIES_STAGED" "$registries.fleet-tmp"
    chmod 0600 "$registries.fleet-tmp"
    mv "$registries.fleet-tmp" "$registries"
    changes="$changes registries"
  fi
elif [ "$FLEET_REGISTRIES_REMOVE" = true ] && [ -f "$registries" ] && head -n 1 "$registries" | grep -q '^# Written by fleet from the inventory (registries)'; then
  # Only fleet's own file: a registries.yaml someone wrote by hand stays.
  rm -f "$registries"
  changes="$changes registries"
fi

if [ -n "$FLEET_BINARY_STAGED" ]; then
  if ! cmp -s "$FLEET_BINARY_STAGED" /usr/local/bin/k3s; then
    mkdir -p /usr/local/bin
    cp "$FLEET_BINARY_STAGED" /usr/local/bin/k3s.fleet-tmp
    chmod 0755 /usr/local/bin/k3s.fleet-tmp
    mv /usr/local/bin/k3s.fleet-tmp /usr/local/bin/k3s
    changes="$changes binary"
  fi
  INSTALL_K3S_SKIP_DOWNLOAD=true
  export INSTALL_K3S_SKIP_DOWNLOAD
fi

script="$FLEET_SCRIPT_STAGED"
if [ -z "$script" ]; then
  script="$workdir/install.sh"
  if command -v curl >/dev/null 2>&1; then
    curl -sfL https://get.k3s.io -o "$script"
  elif command -v wget >/dev/null 2>&1; then
    wget -qO "$script" https://get.k3s.io
  else
    echo "fleet: neither curl nor wget is installed; install one, or set cluster.install in the inventory" >&2
    exit 3
  fi
fi

# The token lives only in config.yaml; the install script must not copy it into an env file.
unset K3S_TOKEN K3S_URL K3S_TOKEN_FILE
INSTALL_K3S_EXEC="$FLEET_ROLE"
export INSTALL_K3S_EXEC
sh "$script" > "$workdir/install.log" 2>&1 9>&- || {
  echo "fleet: the K3s install script failed; its last lines:" >&2
  tail -n 20 "$workdir/install.log" >&2
  exit 4
}
if grep -q "No change detected" "$workdir/install.log"; then :; else changes="$changes install"; fi

# The install script restarts only when binary, unit or env file changed; config.yaml is ours.
case "$changes" in
  *config* | *registries*)
    case "$changes" in
      *install*) ;;
      *) if [ "$was_active" = yes ]; then systemctl restart "$service" 9>&-; changes="$changes restart"; fi ;;
    esac
    ;;
esac
if ! systemctl is-active --quiet "$service" 2>/dev/null; then
  systemctl start "$service" 9>&- || true
fi

# Record the installed version with the binary's identity (size, ctime, inode): fleet's facts read
# it instead of starting k3s for `--version` on every run, and fall back to that as soon as the
# binary is replaced by anything (an upgrade changes its inode or ctime).
bin=$(command -v k3s 2>/dev/null) || bin=/usr/local/bin/k3s
if [ -x "$bin" ]; then
  version=$("$bin" --version 2>/dev/null | sed -n '1s/^k3s version \(v[^ ]*\).*/\1/p') || version=
  if [ -n "$version" ] && identity=$(stat -L -c '%s %Z %i' "$bin" 2>/dev/null); then
    mkdir -p /var/lib/rancher/k3s
    printf '%s %s %s\n' "$bin" "$identity" "$version" > /var/lib/rancher/k3s/fleet-version.tmp
    mv /var/lib/rancher/k3s/fleet-version.tmp /var/lib/rancher/k3s/fleet-version
  fi
fi

echo "fleet-result:${changes:- none}"
