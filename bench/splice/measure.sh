#!/usr/bin/env bash
# Splice relay before/after (issue 13): CPU per GiB of the process in the middle, from GNU time's user+sys.
#   bench/splice/measure.sh SOCKIT_BINARY [ROUNDS] [MIB]      (ONLY="relay null pipe file" picks scenarios)
# relay:   loadgen bulk (core 1) -> forwarder (core 0) -> refserver sink (core 1); sockit relay -l with
#          SOCKIT_SPLICE=1 and =0, and haproxy (mode tcp, option splice-auto) as the anchor; "engine" is splice
#          with SOCKIT_SPLICE_ENGINE=0 (the runtime's socket engine left watching spliced sockets: the code
#          before that change). The sink's CPU per GiB is printed too: a change that only moves work into the
#          sink (a larger SO_SNDBUF did) shows there. RELAY="splice copy haproxy" picks the relay contenders.
# receive: loadgen bulk (core 1) -> receiver (core 0) writing to /dev/null, a pipe or a file: sockit cat -l with
#          splice on and off, nc -d -l as the anchor.
# Rounds alternate the contenders; prints one line per run and the medians. Everything on 127.0.0.1.
set -euo pipefail
SOCKIT=${1:?sockit binary}; ROUNDS=${2:-5}; MIB=${3:-2048}
W=$(mktemp -d /tmp/splice-bench.XXXXXX); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
gcc -O2 -o "$W/loadgen" "$ROOT/bench/c/loadgen.c"; gcc -O2 -o "$W/refserver" "$ROOT/bench/c/refserver.c"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do ss -Hltn "sport = :$1" | grep -q . && return 0; sleep 0.05; done; return 1; }
# cpu LOG: seconds of user+sys per GiB moved from GNU time's "%U %S" line
per_gib() { tail -1 "$1" | awk -v mib="$MIB" '{printf "%.3f user=%.3f sys=%.3f", ($1+$2) / (mib/1024), $1 / (mib/1024), $2 / (mib/1024)}'; }

relay_run() { # NAME
  local sp p; taskset -c 1 /usr/bin/time -o "$W/ts" -f "%U %S" "$W/refserver" sink 0 >"$W/sink.log" 2>&1 & local sink=$!
  for _ in $(seq 200); do sp=$(sed -n 's/.*:\([0-9]*\) LISTENING.*/\1/p' "$W/sink.log"); [ -n "$sp" ] && break; sleep 0.05; done
  p=$(free_port)
  case $1 in
    splice|copy|engine) env SOCKIT_SPLICE=$([ "$1" = copy ] && echo 0 || echo 1) SOCKIT_SPLICE_ENGINE=$([ "$1" = engine ] && echo 0 || echo 1) \
        taskset -c 0 /usr/bin/time -o "$W/t" -f "%U %S" \
        "$SOCKIT" relay -l "127.0.0.1:$p" 127.0.0.1 "$sp" 2>/dev/null & ;;
    haproxy) printf 'global\n  maxconn 100\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n  option splice-auto\nlisten fwd\n  bind 127.0.0.1:%s\n  server s 127.0.0.1:%s\n' "$p" "$sp" >"$W/h.cfg"
      taskset -c 0 /usr/bin/time -o "$W/t" -f "%U %S" haproxy -db -f "$W/h.cfg" 2>/dev/null & ;;
  esac
  local relay=$!; wait_port "$p"
  local line; line=$(taskset -c 1 "$W/loadgen" bulk 127.0.0.1 "$p" "$MIB" 120)
  sleep 0.2; kill -TERM $(pgrep -P $relay) 2>/dev/null || true; wait $relay 2>/dev/null || true
  kill -TERM $(pgrep -P $sink) 2>/dev/null || true; wait $sink 2>/dev/null || true
  echo "relay $1 cpu_s_per_gib=$(per_gib "$W/t") $(grep -o 'mib_per_s=[0-9.]*' <<<"$line") sink_s_per_gib=$(per_gib "$W/ts" | cut -d' ' -f1)"
}

recv_run() { # NAME OUT (null, pipe or file)
  local p; p=$(free_port); local sink=">/dev/null"; [ "$2" = pipe ] && sink="| cat >/dev/null"; [ "$2" = file ] && sink=">$W/out"
  case $1 in
    splice|copy) bash -c "exec env SOCKIT_SPLICE=$([ "$1" = splice ] && echo 1 || echo 0) taskset -c 0 /usr/bin/time -o $W/t -f '%U %S' $SOCKIT cat -l 127.0.0.1 $p </dev/null $sink" & ;;
    nc) bash -c "exec taskset -c 0 /usr/bin/time -o $W/t -f '%U %S' nc -d -l 127.0.0.1 $p $sink" & ;;
  esac
  local rx=$!; wait_port "$p"
  local line; line=$(taskset -c 1 "$W/loadgen" bulk 127.0.0.1 "$p" "$MIB" 120)
  wait $rx 2>/dev/null || true
  rm -f "$W/out"
  echo "recv-$2 $1 cpu_s_per_gib=$(per_gib "$W/t") $(grep -o 'mib_per_s=[0-9.]*' <<<"$line")"
}

ONLY=${ONLY:-relay null pipe file}
for r in $(seq "$ROUNDS"); do
  if [[ " $ONLY " == *" relay "* ]]; then for c in ${RELAY:-splice copy haproxy}; do relay_run $c; done; fi
  for o in null pipe file; do [[ " $ONLY " == *" $o "* ]] || continue; for c in splice copy nc; do recv_run $c $o; done; done
done | tee "$W/all"
echo "medians over $ROUNDS rounds, $MIB MiB each:"
python3 - "$W/all" <<'PY'
import re, statistics, sys, collections
d = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    f = line.split()
    for key in ("cpu_s_per_gib", "mib_per_s", "sink_s_per_gib"):
        m = re.search(key + r"=([0-9.]+)", line)
        d[(f[0], f[1])][key].append(float(m.group(1)) if m else 0)
for (scenario, who), v in d.items():
    sink = f" sink_s_per_gib={statistics.median(v['sink_s_per_gib']):.3f}" if scenario == "relay" else ""
    print(f"{scenario:10} {who:8} cpu_s_per_gib={statistics.median(v['cpu_s_per_gib']):.3f} mib_per_s={statistics.median(v['mib_per_s']):.0f}{sink}")
PY
