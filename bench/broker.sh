#!/usr/bin/env bash
# Broker fan-out: 100 members, each sending M lines of 64 bytes, against `sockit nc -l --broker` and
# `ncat -l --broker`; prints messages delivered per second and the broker's CPU time per delivered message.
# Usage: bench/broker.sh [MESSAGES_PER_MEMBER [ROUNDS]]   (default 200: 1.98 million deliveries per run; 1 round)
# The broker runs pinned to CPU 0 and the load to CPU 1; rounds alternate sockit and ncat, so both see the same
# background load. The CPU time per message is the figure that holds on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
m="${1:-200}"; rounds="${2:-1}"; members=100; size=64
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/brokerload" bench/c/brokerload.c
# The Native AOT binary, as shipped (bench/publish-aot.sh; a JIT build spends CPU compiling during the run);
# SOCKIT=path: another build, for before/after.
sockit="${SOCKIT:-out/aot/sockit}"
[ -x "$sockit" ] || sockit=$(bash bench/publish-aot.sh out/aot)
ticks=$(getconf CLK_TCK)

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run() {
  local name="$1"; shift
  local port; port=$(free_port)
  taskset -c 0 "$@" "$port" </dev/null >/dev/null 2>"$work/$name.err" & local pid=$!
  for _ in $(seq 1 600); do grep -q "Listening on" "$work/$name.err" && break; sleep 0.1; done
  local before; before=$(cpu "$pid")
  local line; line=$(taskset -c 1 "$work/brokerload" 127.0.0.1 "$port" "$members" "$m" "$size") \
    || line="load failed; the broker logged $(grep -c 'Dropped ' "$work/$name.err" || true) 'Dropped' lines"
  local after; after=$(cpu "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local delivered=$((members * (members - 1) * m))
  echo "$name: $line; broker CPU $(awk -v c=$((after - before)) -v t="$ticks" -v d="$delivered" 'BEGIN { printf "%.2f s = %.3f us per message", c / t, c / t * 1e6 / d }')"
}

for _ in $(seq 1 "$rounds"); do
  run sockit "$sockit" nc -l -v --broker --max-conns 200 127.0.0.1
  run ncat ncat -l -v --broker --max-conns 200 127.0.0.1
done
