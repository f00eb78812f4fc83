#!/usr/bin/env bash
# The Sockit benchmark suite: one command, one table.
#   bench/run.sh [--quick] [--only LIST] [--no-build]
#     --quick      2 s per measurement (default 10 s), fewer one-shot runs
#     --only LIST  comma-separated scenario numbers, e.g. --only 1,3
#     --no-build   reuse out/aot/sockit and the compiled C programs from a previous run
# Builds the Native AOT sockit (bench/publish-aot.sh), compiles the C reference server, the load generator
# and the seed's server (with its two crash fixes) with gcc -O2, then starts each contender on loopback,
# pins server and load generator to different cores (taskset) and prints a Markdown table: each
# contender's figure, sockit's ratio to the best peer, and whether the issue's target is met.
# Everything binds 127.0.0.1 and every run is bounded in time. Results also land in $BENCH_OUT (default
# out/bench/results.tsv and out/bench/table.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SECS=10; ONESHOT_RUNS=200; IDLE_CONNS=10000; BULK_MIB=4096; BUILD=1; ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) SECS=2; ONESHOT_RUNS=50; BULK_MIB=1024 ;;
    --only) ONLY=",$2,"; shift ;;
    --no-build) BUILD=0 ;;
    *) echo "[Usage]: bench/run.sh [--quick] [--only 1,3] [--no-build]" >&2; exit 1 ;;
  esac
  shift
done
want() { [ -z "$ONLY" ] || [[ "$ONLY" == *",$1,"* ]]; }

OUT="${BENCH_OUT:-$ROOT/out/bench}"
BIN="$OUT/bin"
mkdir -p "$OUT" "$BIN"
WORK=$(mktemp -d /tmp/sockit-bench.XXXXXX)
RESULTS="$OUT/results.tsv"
: >"$RESULTS"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "bench: $*" >&2; }
# A peer that is not installed is left out of the table (with a note), never a reason to stop.
have() {
  case $1 in sockit|cref|seed|sockit-echo) return 0 ;; esac
  command -v "$1" >/dev/null 2>&1 && return 0
  log "$1 is not installed: left out"; return 1
}

# Enough descriptors for 10,000 idle connections on each side (the hard limit is what we may take).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((IDLE_CONNS + 100)) ]; then
  IDLE_CONNS=$(( $(ulimit -n) - 100 )); log "ulimit -n is $(ulimit -n): idle scenario uses $IDLE_CONNS connections"
fi

# Server on one core, load generator on another, where the machine has two and taskset exists.
SRV=(); LOAD=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then SRV=(taskset -c 0); LOAD=(taskset -c 1); fi

# ---- build ----
# SOCKIT_BIN=path runs another sockit binary (e.g. a before/after comparison); it is then not rebuilt.
SOCKIT="${SOCKIT_BIN:-$ROOT/out/aot/sockit}"
if [ -z "${SOCKIT_BIN:-}" ] && { [ "$BUILD" = 1 ] || [ ! -x "$SOCKIT" ]; }; then
  log "publishing Native AOT sockit"
  bash bench/publish-aot.sh out/aot >/dev/null
fi
if [ "$BUILD" = 1 ] || [ ! -x "$BIN/loadgen" ]; then
  log "compiling C programs"
  gcc -O2 -o "$BIN/refserver" bench/c/refserver.c
  gcc -O2 -o "$BIN/loadgen" bench/c/loadgen.c
  # The seed's server as printed, with its two crash fixes: %s given the port, accept()'s length unset.
  python3 - "$ROOT/docs/seed/socket-programming-in-c-and-python.md" >"$BIN/seed_server.c" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for block in re.findall(r"```\s*\n(.*?)```", text, re.S):
    if "#include<stdio.h>" in block and "int main" in block and "grumpy server" in block:
        code = "\n".join(re.sub(r"^\s*\d+ ?", "", l) for l in block.split("\n"))
        fixed = code.replace('"SERVER AT %s:%s', '"SERVER AT %s:%d').replace(
            "while (1) {", "client_addr_len = sizeof(client_addr);\n    while (1) {")
        assert fixed != code, "the seed's server no longer matches the expected text"
        print(fixed)
        break
else:
    sys.exit("no grumpy server in the seed")
PY
  gcc -O2 -w -o "$BIN/seed_server" "$BIN/seed_server.c"
fi
# The grumpy exchange as a script, for the peers that run a program per connection (socat, ncat).
printf '#!/bin/sh\nread -r line\necho "I'"'"'m a grumpy server, don'"'"'t connect, I don'"'"'t want no friends!"\n' >"$BIN/grumpy.sh"
chmod +x "$BIN/grumpy.sh"
HAVE_CAT=0
# "sockit cat" is being built in parallel: use it only once this binary's command list shows it.
if "$SOCKIT" --help 2>/dev/null | grep -qE '^ +cat( |$)'; then HAVE_CAT=1; fi

# ---- contenders ----
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_listening() { # PORT PID
  for _ in $(seq 1 200); do
    if ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; then return 0; fi
    kill -0 "$2" 2>/dev/null || { log "server exited before listening"; return 1; }
    sleep 0.05
  done
  log "nothing listens on $1"; return 1
}

# start NAME PORT CMD...  (PORT "auto": the server prints "... AT host:PORT LISTENING")
SERVER_PID=""; SERVER_PORT=""
start() {
  local name=$1 port=$2; shift 2
  : >"$WORK/$name.log" # exists before the child opens it, so the port poll below cannot miss it
  "${SRV[@]}" "$@" >"$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  if [ "$port" = auto ]; then
    for _ in $(seq 1 200); do
      port=$(sed -n 's/.*:\([0-9]*\) LISTENING.*/\1/p' "$WORK/$name.log" | head -1)
      [ -n "$port" ] && break
      sleep 0.05
    done
  fi
  SERVER_PORT=$port
  wait_listening "$port" "$SERVER_PID"
}
stop() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
result() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS"; log "$1 $2: $3 $4"; }

# start_grumpy CONTENDER: a grumpy server of that kind on a free port
start_grumpy() {
  case $1 in
    sockit) start sockit auto "$SOCKIT" serve 0 --bind 127.0.0.1 --backlog 4096 ;;
    cref) start cref auto "$BIN/refserver" grumpy 0 ;;
    seed) local p; p=$(free_port); start seed "$p" "$BIN/seed_server" "$p" ;;
    socat) local p; p=$(free_port)
      start socat "$p" socat "TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork,backlog=4096" "EXEC:$BIN/grumpy.sh" ;;
    ncat) local p; p=$(free_port)
      start ncat "$p" ncat -l 127.0.0.1 "$p" -k --exec "$BIN/grumpy.sh" ;;
  esac
}
start_echo() {
  case $1 in
    sockit) start sockit auto "$SOCKIT" serve 0 --echo --bind 127.0.0.1 --backlog 4096 ;;
    cref) start cref auto "$BIN/refserver" echo 0 ;;
    socat) local p; p=$(free_port); start socat "$p" socat "TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork,backlog=4096" PIPE ;;
    ncat) local p; p=$(free_port); start ncat "$p" ncat -l 127.0.0.1 "$p" -k --exec /bin/cat ;;
  esac
}

# ---- 1: grumpy exchanges/s, 50 concurrent clients ----
if want 1; then
  for c in sockit cref seed socat ncat; do
    have $c || continue
    start_grumpy $c
    line=$("${LOAD[@]}" "$BIN/loadgen" grumpy 127.0.0.1 "$SERVER_PORT" 50 "$SECS")
    stop
    result 1 "$c" "$(field rate "$line")" "p99_us=$(field p99_us "$line") errors=$(field errors "$line")"
  done
fi

# ---- 2: bulk, one stream of BULK_MIB (4 GiB; 1 GiB quick), both directions, time-bounded ----
# 2  (receive): loadgen bulk (core 1) pours into the contender listening and writing to /dev/null (core 0).
# 2s (send):    head -c BULK_MIB MiB of /dev/zero (core 1) piped into the contender as a client (core 0),
#               into refserver's sink (core 1); MiB/s = bytes / wall time of the whole pipeline.
# iperf3 (its own client and server, no pipes) is the ceiling for both.
# SOCKIT_BUFFER=SIZE passes --buffer SIZE to sockit (scenarios 2 and 7); BULK_PEERS="" runs sockit alone
# (both for buffer-size comparisons: docs/benchmarks.md).
SOCKIT_BUF=(); [ -n "${SOCKIT_BUFFER:-}" ] && SOCKIT_BUF=(--buffer "$SOCKIT_BUFFER")
bulk_cmd_rx() { # CONTENDER PORT: a listener that writes what arrives to /dev/null
  case $1 in
    sockit) echo "exec \"$SOCKIT\" cat -l 127.0.0.1 $2 ${SOCKIT_BUF[*]} >/dev/null </dev/null" ;;
    nc) echo "exec nc -d -l 127.0.0.1 $2 >/dev/null" ;;
    ncat) echo "exec ncat -l 127.0.0.1 $2 --recv-only >/dev/null </dev/null" ;;
    socat) echo "exec socat -u TCP-LISTEN:$2,bind=127.0.0.1,reuseaddr STDOUT >/dev/null" ;;
  esac
}
bulk_cmd_tx() { # CONTENDER PORT: a client that sends stdin and ends after stdin's EOF
  case $1 in
    sockit) echo "exec \"$SOCKIT\" cat ${SOCKIT_BUF[*]} 127.0.0.1 $2 >/dev/null" ;;
    nc) echo "exec nc -N 127.0.0.1 $2 >/dev/null" ;;
    ncat) echo "exec ncat --send-only 127.0.0.1 $2" ;;
    socat) echo "exec socat -u STDIN TCP:127.0.0.1:$2" ;;
  esac
}
BULK_SECS=$((SECS < 5 ? 30 : 6 * SECS)) # a bound, not the measure: 1 GiB takes about a second here
if want 2; then
  [ "$HAVE_CAT" = 1 ] || { log "scenario 2: this sockit has no 'cat' command"; result 2 sockit "" "skipped: no sockit cat"; }
  for c in sockit ${BULK_PEERS-nc ncat socat iperf3}; do
    [ $c = sockit ] && [ "$HAVE_CAT" = 0 ] && continue
    have $c || continue
    p=$(free_port)
    if [ $c = iperf3 ]; then
      start iperf3 "$p" iperf3 -s -1 -B 127.0.0.1 -p "$p"
      json=$("${LOAD[@]}" iperf3 -c 127.0.0.1 -p "$p" -n "${BULK_MIB}M" -J)
      stop
      mib=$(python3 -c 'import json,sys; print("%.1f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/8/1048576))' <<<"$json")
      result 2 iperf3 "$mib" "iperf3 -n ${BULK_MIB}M"; result 2s iperf3 "$mib" "same run as scenario 2"
      continue
    fi
    # receive
    start "${c}rx" "$p" sh -c "$(bulk_cmd_rx $c "$p")"
    line=$("${LOAD[@]}" "$BIN/loadgen" bulk 127.0.0.1 "$p" "$BULK_MIB" "$BULK_SECS")
    timeout 10 tail --pid="$SERVER_PID" -f /dev/null || true # the listener ends at the sender's EOF
    stop
    result 2 "$c" "$(field mib_per_s "$line")" "sent_mib=$(field mib "$line") seconds=$(field seconds "$line")"
    # send
    start sink auto "${LOAD[@]}" "$BIN/refserver" sink 0
    t0=$(date +%s.%N)
    rc=0
    timeout "$BULK_SECS" bash -c "${LOAD[*]} head -c ${BULK_MIB}M /dev/zero | ${SRV[*]} sh -c '$(bulk_cmd_tx $c "$SERVER_PORT")'" || rc=$?
    t1=$(date +%s.%N)
    stop
    if [ $rc = 0 ]; then
      result 2s "$c" "$(python3 -c "print('%.1f' % ($BULK_MIB / ($t1 - $t0)))")" "mib=$BULK_MIB seconds=$(python3 -c "print('%.2f' % ($t1 - $t0))")"
    else
      result 2s "$c" "" "failed or over ${BULK_SECS}s (rc=$rc)"
    fi
  done
fi

# ---- 3: echo latency, 64-byte ping-pong on 1 connection; 4: echo load, 100 connections ----
for s in 3 4; do
  want $s || continue
  for c in sockit cref socat ncat; do
    have $c || continue
    start_echo $c
    if [ $s = 3 ]; then
      line=$("${LOAD[@]}" "$BIN/loadgen" echo 127.0.0.1 "$SERVER_PORT" 1 "$SECS" 64)
      result 3 "$c" "$(field p50_us "$line")" "p99_us=$(field p99_us "$line")"
    else
      line=$("${LOAD[@]}" "$BIN/loadgen" echo 127.0.0.1 "$SERVER_PORT" 100 "$SECS" 64)
      result 4 "$c" "$(field rate "$line")" "p99_us=$(field p99_us "$line")"
    fi
    stop
  done
done

# ---- 5: idle connections, server RSS growth per connection ----
if want 5; then
  for c in sockit sockit-echo cref; do
    case $c in
      sockit) start_grumpy sockit ;;
      sockit-echo) start_echo sockit ;;
      cref) start_grumpy cref ;;
    esac
    sleep 0.5
    before=$(rss_kib "$SERVER_PID")
    fifo="$WORK/idle.out"; : >"$fifo"
    hold=$((SECS < 5 ? 5 : SECS))
    "${LOAD[@]}" "$BIN/loadgen" idle 127.0.0.1 "$SERVER_PORT" "$IDLE_CONNS" "$hold" >"$fifo" &
    lg=$!
    for _ in $(seq 1 1200); do grep -q READY "$fifo" && break; sleep 0.05; done
    # Let the server accept the last of them, then take the highest RSS seen over a second.
    peak=0
    for _ in $(seq 1 10); do sleep 0.2; r=$(rss_kib "$SERVER_PID"); [ "$r" -gt "$peak" ] && peak=$r; done
    wait "$lg" || true
    stop
    n=$(field connected "$(grep READY "$fifo")")
    per=$(python3 -c "print('%.2f' % (($peak - $before) / max(1, $n)))")
    result 5 "$c" "$per" "conns=$n rss_before_kib=$before rss_held_kib=$peak $(tail -1 "$fifo" | grep -o 'closed_by_server=[0-9]*')"
  done
fi

# ---- 6: one-shot start: sockit connect wall time vs nc, against the C reference grumpy server ----
if want 6 && have hyperfine && have nc; then
  start_grumpy cref
  hyperfine -N --warmup 5 --runs "$ONESHOT_RUNS" --export-json "$WORK/oneshot.json" \
    -n sockit "$SOCKIT connect 127.0.0.1 $SERVER_PORT" \
    -n nc "nc -N 127.0.0.1 $SERVER_PORT" >"$WORK/hyperfine.txt" 2>&1
  stop
  # The median: on a shared machine a few runs stall behind other work and drag the mean.
  while read -r name median mean; do result 6 "$name" "$median" "mean_ms=$mean"; done < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["command"], "%.2f" % (r["median"] * 1000), "%.2f" % (r["mean"] * 1000))' "$WORK/oneshot.json")
fi

# ---- 7: relay throughput: one stream through a TCP-to-TCP forwarder into refserver's sink ----
# loadgen bulk (core 1) -> forwarder (core 0) -> refserver sink (core 1).
if want 7; then
  for c in sockit ${BULK_PEERS-socat}; do
    have $c || continue
    if [ $c = sockit ] && ! "$SOCKIT" --help 2>/dev/null | grep -qE '^ +relay( |$)'; then result 7 sockit "" "skipped: no sockit relay"; continue; fi
    "${LOAD[@]}" "$BIN/refserver" sink 0 >"$WORK/sink7.log" 2>&1 &
    sinkpid=$!; PIDS+=("$sinkpid")
    for _ in $(seq 1 200); do sp=$(sed -n 's/.*:\([0-9]*\) LISTENING.*/\1/p' "$WORK/sink7.log"); [ -n "$sp" ] && break; sleep 0.05; done
    p=$(free_port)
    case $c in
      sockit) start relay "$p" "$SOCKIT" relay -l "127.0.0.1:$p" "${SOCKIT_BUF[@]}" 127.0.0.1 "$sp" ;;
      socat) start relay "$p" socat "TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$sp" ;;
    esac
    line=$("${LOAD[@]}" "$BIN/loadgen" bulk 127.0.0.1 "$p" "$BULK_MIB" "$BULK_SECS")
    stop
    kill "$sinkpid" 2>/dev/null || true; wait "$sinkpid" 2>/dev/null || true
    result 7 "$c" "$(field mib_per_s "$line")" "sent_mib=$(field mib "$line") seconds=$(field seconds "$line")"
  done
fi

# ---- the table ----
python3 - "$RESULTS" "$SECS" >"$OUT/table.md" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    s, who, value, extra = line.rstrip("\n").split("\t")
    rows.setdefault(s, []).append((who, value, extra))
# scenario: (title, unit, higher_is_better, [(peer, factor, comparison)])
spec = {
    "1": ("grumpy exchanges/s, 50 clients", "exch/s", True, [("cref", 1.0, ">=")]),
    "2": ("bulk, receiving into /dev/null (`cat -l`)", "MiB/s", True, [("nc", 1.0, ">="), ("iperf3", 0.85, ">=")]),
    "2s": ("bulk, sending from /dev/zero (`cat HOST PORT`)", "MiB/s", True, [("nc", 1.0, ">="), ("iperf3", 0.85, ">=")]),
    "3": ("echo 64 B ping-pong p50, 1 conn", "us", False, [("cref", 1.2, "<=")]),
    "4": ("echo 64 B messages/s, 100 conns", "msg/s", True, []),
    "5": ("idle conns: RSS growth per conn", "KiB", False, [(None, 4.0, "<=")]),
    "6": ("one-shot `sockit connect` median wall time", "ms", False, [("nc", 3.0, "<=")]),
    "7": ("relay: one stream through a TCP forwarder", "MiB/s", True, [("socat", 1.5, ">=")]),
}
print(f"| # | scenario | unit | sockit | peers | sockit / best peer | target | met |")
print("|---|---|---|---|---|---|---|---|")
for s in sorted(rows):
    title, unit, higher, targets = spec[s]
    values = {who: float(v) for who, v, _ in rows[s] if v}
    mine = {k: v for k, v in values.items() if k.startswith("sockit")}
    peers = {k: v for k, v in values.items() if not k.startswith("sockit")}
    if not mine:
        note = next((extra for who, v, extra in rows[s] if who == "sockit"), "")
        peer_text = ", ".join(f"{k} {p:g}" for k, p in peers.items())
        print(f"| {s} | {title} | {unit} | {note} | {peer_text} | | | |")
        continue
    for who, v in mine.items():
        best = (max if higher else min)(peers.items(), key=lambda kv: kv[1]) if peers else None
        ratio = f"{v / best[1]:.2f}x ({best[0]})" if best and best[1] else ""
        checks, met = [], []
        for peer, factor, cmp in targets:
            bound = factor if peer is None else factor * peers.get(peer, float("nan"))
            label = f"{cmp} {factor:g}" + ("" if peer is None else f"x {peer}")
            ok = v >= bound if cmp == ">=" else v <= bound
            checks.append(label); met.append("yes" if ok else "NO")
        peer_text = ", ".join(f"{k} {p:g}" for k, p in peers.items())
        name = title if who == "sockit" else f"{title} ({who})"
        print(f"| {s} | {name} | {unit} | {v:g} | {peer_text} | {ratio} | {'; '.join(checks) or '-'} | {'; '.join(met) or '-'} |")
PY
cat "$OUT/table.md"
echo
echo "(${SECS} s per measurement; loadavg $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; details in $RESULTS)"
