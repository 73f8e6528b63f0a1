#!/usr/bin/env bash
# `npm run demo`: install what is needed, build, bring up a lab of six hosts on this machine
# (three Raspberry-Pi-like, one of them on an SD-card-slow disk), and run `fleet up` on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build

lab_dir=.lab
echo "== lab: 6 hosts at 127.0.1.1-6 (h1-h3 look like Raspberry Pis; h3's and h6's disks add 40 ms to every fsync, like SD cards)"
node dist/test/lab/cli.js up --hosts 6 --pi h1,h2,h3,h6 --slow-disk h3=40,h6=40 --dir "$lab_dir"
node scripts/demo-inventory.mjs "$lab_dir" > "$lab_dir/demo-inventory.yaml"

echo
echo "== fleet plan --dry-run (nothing is contacted)"
node dist/src/cli/main.js plan --dry-run --quiet "$lab_dir/demo-inventory.yaml"

echo
echo "== fleet up (measures disks, picks servers, installs, verifies)"
node dist/src/cli/main.js up "$lab_dir/demo-inventory.yaml"

echo
echo "The lab keeps running. Try:"
echo "  node dist/src/cli/main.js up $lab_dir/demo-inventory.yaml      # again: no changes"
echo "  node dist/src/cli/main.js exec $lab_dir/demo-inventory.yaml -- uptime"
echo "  npm run lab -- down                                          # remove the lab"
