#!/usr/bin/env bash
# HTTP CONNECT relay throughput (issue 11): MIB of zeros from a client, through the proxy, into a sink, for
# `sockit proxy` and `ncat -l -k --proxy-type http`. The client (`sockit cat --proxy ... --send-only`) and the
# sink (`socat -u ... STDOUT`) are the same for both and run on core 1; the proxy runs on core 0. Figures: MiB/s
# (wall time from the first byte offered to the sink's exit) and the proxy's CPU seconds per GiB (utime+stime of the
# proxy and its reaped children from /proc, the steadier figure on a shared machine). Everything on 127.0.0.1, bounded by the size.
#   bench/proxy.sh [MIB] [RUNS]     (default 1024 MiB, 3 runs per contender; prints a Markdown table)
# Uses out/aot/sockit (bench/publish-aot.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
MIB="${1:-1024}"; RUNS="${2:-3}"
sockit=out/aot/sockit
[ -x "$sockit" ] || sockit=$(bash bench/publish-aot.sh out/aot)
work=$(mktemp -d /tmp/sockit-proxy-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_listen() { for _ in $(seq 200); do ss -ltn "sport = :$1" | grep -q LISTEN && return 0; sleep 0.05; done; echo "nothing listens on $1" >&2; exit 1; }
# utime+stime plus the reaped children's (ncat serves each proxy client in a child of its own)
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; }

# run NAME PROXY-COMMAND: RUNS transfers through one proxy process; prints "| NAME | MiB/s | CPU-s/GiB |" (medians)
run() {
  local name=$1 p; p=$(port)
  taskset -c 0 bash -c "exec ${2//PORT/$p}" </dev/null >/dev/null 2>"$work/proxy.err" &
  local proxy=$!
  pids+=("$proxy")
  wait_listen "$p"
  : >"$work/runs"
  for _ in $(seq "$RUNS"); do
    local s; s=$(port)
    taskset -c 1 socat -u "TCP-LISTEN:$s,bind=127.0.0.1,reuseaddr" STDOUT >/dev/null &
    local sink=$!
    wait_listen "$s"
    local before start end after
    before=$(cpu_ticks "$proxy"); start=$(date +%s.%N)
    head -c "${MIB}M" /dev/zero | taskset -c 1 "$sockit" cat --send-only --proxy "127.0.0.1:$p" --proxy-type http 127.0.0.1 "$s"
    wait "$sink"
    end=$(date +%s.%N); after=$(cpu_ticks "$proxy")
    echo "$start $end $before $after" >>"$work/runs"
  done
  kill "$proxy"; wait "$proxy" 2>/dev/null || true
  python3 - "$name" "$MIB" "$(getconf CLK_TCK)" "$work/runs" <<'PY'
import statistics, sys
name, mib, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = [list(map(float, line.split())) for line in open(sys.argv[4])]
rate = statistics.median(mib / (e - s) for s, e, _, _ in rows)
cpu = statistics.median((a - b) / hz / (mib / 1024) for _, _, b, a in rows)
print(f"| {name} | {rate:.0f} MiB/s | {cpu:.2f} CPU-s/GiB |")
PY
}

echo "| proxy (HTTP CONNECT, ${MIB} MiB x ${RUNS}) | throughput | proxy CPU |"
echo "|---|---|---|"
run "sockit proxy" "$sockit proxy -l 127.0.0.1:PORT"
run "ncat -l -k --proxy-type http" "ncat -l -k 127.0.0.1 PORT --proxy-type http"
