#!/bin/sh
# fleet disk probe: how long write+fdatasync takes on the filesystem that will hold K3s's etcd
# data (etcd wants the 99th percentile under 10 ms). Writes only inside a temporary directory,
# removed on every exit.
#
# Environment:
#   FLEET_PROBE_DIR          where etcd will live; default /var/lib/rancher/k3s/server/db. Its
#                            nearest EXISTING ancestor is measured: a directory created later lands
#                            on that same filesystem, so nothing K3s owns is created here.
#   FLEET_PROBE_MAX_WRITES   stop after this many fdatasyncs (default 300)
#   FLEET_PROBE_MAX_SECONDS  stop after this many seconds (default 20): SD cards are slow
#   FLEET_PROBE_TOOL         auto (default: fio, else python3) | fio | python3 | none
#   FLEET_PROBE_PY           source of the python3 probe (fleet embeds disk-probe.py here);
#                            unset: disk-probe.py beside this script
#
# Prints ONE JSON line:
#   {"tool":"fio","directory":"…","fio":<fio's own JSON report>}
#   {"tool":"python3","directory":"…","p99Ms":…,"p50Ms":…,"samples":…}
#   {"tool":"none","error":"…"}                       (exit status 1: nothing measured)
set -u

target=${FLEET_PROBE_DIR:-/var/lib/rancher/k3s/server/db}
max_writes=${FLEET_PROBE_MAX_WRITES:-300}
max_seconds=${FLEET_PROBE_MAX_SECONDS:-20}
tool=${FLEET_PROBE_TOOL:-auto}
block_size=2300 # bytes: the size of a typical etcd WAL entry, as in the etcd fio recipe
tmp=

json_string() {
  printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr '\n\t' '  ')"
}

refuse() {
  printf '{"tool":"none","error":%s}\n' "$(json_string "$1")"
  exit 1
}

have() {
  command -v "$1" >/dev/null 2>&1
}

cleanup() {
  if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

case $max_writes in '' | *[!0-9]*) refuse "FLEET_PROBE_MAX_WRITES must be a whole number: $max_writes" ;; esac
case $max_seconds in '' | *[!0-9]*) refuse "FLEET_PROBE_MAX_SECONDS must be a whole number: $max_seconds" ;; esac
if [ "$max_writes" -lt 1 ] || [ "$max_seconds" -lt 1 ]; then
  refuse "FLEET_PROBE_MAX_WRITES and FLEET_PROBE_MAX_SECONDS must be at least 1"
fi

case $tool in
  auto)
    if have fio; then tool=fio
    elif have python3; then tool=python3
    else refuse "no fio and no python3: cannot measure fdatasync latency"; fi ;;
  fio | python3)
    have "$tool" || refuse "$tool is not installed: cannot measure fdatasync latency" ;;
  none) refuse "no fio and no python3: cannot measure fdatasync latency" ;;
  *) refuse "FLEET_PROBE_TOOL must be auto, fio, python3 or none: $tool" ;;
esac

dir=$target
while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
tmp=$(mktemp -d "$dir/.fleet-disk-probe.XXXXXX") || refuse "cannot create a temporary directory in $dir"

run_fio() {
  # --size bounds the count of writes, --runtime the time; fio's JSON goes to a file so that any
  # warning it prints cannot corrupt it.
  if fio --name=etcd-probe --directory="$tmp" --rw=write --ioengine=sync --fdatasync=1 \
    --bs="$block_size" --size=$((max_writes * block_size)) --runtime="$max_seconds" \
    --output-format=json --output="$tmp/fio.json" >"$tmp/fio.out" 2>&1; then
    printf '{"tool":"fio","directory":%s,"fio":' "$(json_string "$dir")"
    # One line, runs of indentation squeezed: fio's report is mostly whitespace.
    tr -d '\n' <"$tmp/fio.json" | tr -s ' '
    printf '}\n'
  else
    printf 'fio failed: %s\n' "$(tail -n 3 "$tmp/fio.out" | tr '\n' ' ')" >&2
    return 1
  fi
}

run_python() {
  if [ -z "${FLEET_PROBE_PY:-}" ]; then
    py_file="$(dirname "$0")/disk-probe.py"
    [ -r "$py_file" ] || refuse "the python3 probe (disk-probe.py) was not sent with this script"
    FLEET_PROBE_PY=$(cat "$py_file")
  fi
  printf '%s\n' "$FLEET_PROBE_PY" | python3 - "$tmp" "$max_writes" "$max_seconds" "$dir"
}

case $tool in
  fio)
    # An fio that fails (too old, odd filesystem) leaves the python3 probe when that was allowed.
    run_fio && exit 0
    if [ "${FLEET_PROBE_TOOL:-auto}" = auto ] && have python3; then run_python && exit 0; fi
    refuse "fio failed in $dir; see stderr" ;;
  python3)
    run_python && exit 0
    refuse "the python3 probe failed in $dir; see stderr" ;;
esac
