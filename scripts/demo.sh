#!/usr/bin/env bash
# make demo: start the built-in simulator on a free loopback port, plan and apply the
# quickstart against it, show where the images landed, and stop the simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/bin/comfyhcl
example=examples/quickstart

log=$(mktemp)
# Port 0: the kernel picks a free port and the simulator prints the URL it got.
"$bin" sim -listen 127.0.0.1:0 >"$log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  grep -q 'comfysim listening' "$log" && break
  kill -0 $sim 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.05
done
cat "$log"
url=$(sed -n 's/^comfysim listening on //p' "$log")
[ -n "$url" ] || { echo "the simulator did not start"; exit 1; }

export COMFYHCL_VAR_server_url="$url"
cd "$example"
echo
echo "== comfyhcl plan"
"$bin" plan
echo
echo "== comfyhcl apply -auto-approve"
"$bin" apply -auto-approve
echo
echo "== outputs on disk"
find out -type f | sort | while read -r f; do echo "  $example/$f"; done
echo
echo "Run 'make demo' again: the render is recognised by the state and apply ends with 'No changes'."
