#!/usr/bin/env bash
# The Sockit benchmark suite: one command, one table of the issue-13 goals, each against its anchor measured
# in the same run.
#   bench/run.sh [--quick] [--only LIST] [--no-build] [--rounds N]
#     --quick      3 rounds of 2 s (default 5 rounds of 4 s), 1 GiB bulk (default 4 GiB), fewer one-shot runs
#     --only LIST  comma-separated scenario numbers, e.g. --only 1,3
#     --no-build   reuse out/aot/sockit, the AOT hello world, the alloc probe and the C programs
#     --rounds N   interleaved rounds per scenario (medians are reported)
#
# Scenarios (numbers for --only):
#   1 grumpy, 50 concurrent clients       2 bulk receive into a pipe (2n: into /dev/null, 2s: send from a pipe)
#   3 echo 64 B ping-pong on 1 connection 4 echo 64 B ping-pong on 100 connections
#   5 10,000 idle connections (RSS)       6 one-shot `sockit connect` start-up (hyperfine)
#   7 relay: one stream through a TCP forwarder                    8 server bytes allocated per exchange
#
# The first figure of every scenario is CPU per unit of work: the server's (or receiver's, or forwarder's)
# utime+stime over the measured interval, from /proc/PID/stat, including the children it reaped (socat and
# ncat fork per connection), divided by the exchanges, messages, GiB or connections of that interval. On a
# shared machine that figure holds; rates and latencies (printed beside it) move with the neighbours' load.
# Each scenario runs ROUNDS interleaved rounds (every contender once per round, the order reversed every other
# round, so all see the same background) and reports medians. Servers run on core 0, load generators on
# core 1 (taskset). Everything binds 127.0.0.1, every run is bounded in time, every server is killed on exit.
# A peer that is not installed (haproxy, iperf3, hyperfine, sockperf, ...) is left out with a note.
#
# Before/after of one row (e.g. the relay, scenario 7) against another sockit binary:
#   bench/publish-aot.sh /tmp/before          # on the old commit (git stash / a worktree of main)
#   bench/publish-aot.sh /tmp/after           # on the new one
#   SOCKIT_BIN=/tmp/before/sockit BENCH_OUT=out/bench-before bench/run.sh --only 7 --no-build
#   SOCKIT_BIN=/tmp/after/sockit  BENCH_OUT=out/bench-after  bench/run.sh --only 7 --no-build
# and compare the two table.md files (each has its own anchors, so compare the ratios, not raw figures).
# What bounds a row: BENCH_STRACE=1 bench/run.sh --only 1 --rounds 1 --no-build attaches `strace -c -f` to the
# measured process of scenarios 1, 2, 3, 4 and 7 for each run and adds its syscalls per unit to the table's
# notes (the CPU and rate figures of such a run are strace's, not the contender's: ignore them).
# SOCKIT_BIN is never rebuilt. Scenario 8 (allocations) builds bench/Sockit.AllocProbe from this worktree's
# src/, not from SOCKIT_BIN. SOCKIT_BUFFER=SIZE passes --buffer SIZE to sockit in scenarios 2 and 7;
# BULK_PEERS="" runs sockit alone there.
# Results: $BENCH_OUT (default out/bench): rounds.tsv (every round), results.tsv (medians), table.md.
# The whole script is one block, read before it runs, so editing this file during a run cannot derail it.
{
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
SECS=4; ROUNDS=5; ONESHOT_RUNS=200; IDLE_CONNS=10000; BULK_MIB=4096; BUILD=1; ONLY=""; QUICK=0; ALLOC_N=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; SECS=2; ROUNDS=3; ONESHOT_RUNS=60; BULK_MIB=1024; ALLOC_N=3000 ;;
    --only) ONLY=",$2,"; shift ;;
    --no-build) BUILD=0 ;;
    --rounds) ROUNDS=$2; shift ;;
    *) echo "[Usage]: bench/run.sh [--quick] [--only 1,3] [--no-build] [--rounds N]" >&2; exit 1 ;;
  esac
  shift
done
want() { [ -z "$ONLY" ] || [[ "$ONLY" == *",$1,"* ]]; }

OUT="${BENCH_OUT:-$ROOT/out/bench}"
BIN="$ROOT/out/bench/bin"
mkdir -p "$OUT" "$BIN"
WORK=$(mktemp -d /tmp/sockit-bench.XXXXXX)
ROUNDS_TSV="$OUT/rounds.tsv"; RESULTS="$OUT/results.tsv"; NOTES="$OUT/notes.txt"
: >"$ROUNDS_TSV"; : >"$NOTES"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "bench: $*" >&2; }
note() { echo "$*" >>"$NOTES"; log "$*"; }
# A peer that is not installed is left out of the table (with a note), never a reason to stop.
declare -A NOTED=()
have() {
  case $1 in sockit|sockit-echo|cref|seed|hello) return 0 ;; esac
  command -v "$1" >/dev/null 2>&1 && return 0
  [ -n "${NOTED[$1]:-}" ] || note "$1 is not installed: left out"
  NOTED[$1]=1; return 1
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
SOCKIT="${SOCKIT_BIN:-$ROOT/out/aot/sockit}"
if [ -z "${SOCKIT_BIN:-}" ] && { [ "$BUILD" = 1 ] || [ ! -x "$SOCKIT" ]; }; then
  log "publishing Native AOT sockit"
  bash bench/publish-aot.sh out/aot >/dev/null
fi
if [ "$BUILD" = 1 ] || [ ! -x "$BIN/runcpu" ]; then
  log "compiling C programs"
  gcc -O2 -o "$BIN/refserver" bench/c/refserver.c
  gcc -O2 -o "$BIN/loadgen" bench/c/loadgen.c
  gcc -O2 -o "$BIN/runcpu" bench/c/runcpu.c
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
if "$SOCKIT" --help 2>/dev/null | grep -qE '^ +cat( |$)'; then HAVE_CAT=1; fi

# ---- measuring ----
TCK=$(getconf CLK_TCK)
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
# cpu_us PID: utime+stime of the process and of the children it reaped (cutime+cstime), in microseconds.
cpu_us() {
  local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  s=${s##*) }
  # shellcheck disable=SC2086
  set -- $s
  echo $(( (${12} + ${13} + ${14} + ${15}) * 1000000 / TCK ))
}
# settle PID: let a forking server reap its per-connection children (their CPU lands in cutime then), at most 5 s.
settle() {
  for _ in $(seq 1 100); do
    [ -s "/proc/$1/task/$1/children" ] || return 0
    sleep 0.05
  done
}
field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
# round SCENARIO CONTENDER ROUND key=value...: one round's figures (the first is the scenario's main figure)
round() {
  local s=$1 who=$2 r=$3 kv; shift 3
  for kv in "$@"; do printf '%s\t%s\t%s\t%s\t%s\n' "$s" "$who" "$r" "${kv%%=*}" "${kv#*=}" >>"$ROUNDS_TSV"; done
  log "$s $who round $r: $*"
}
# order ROUND NAMES...: the names, reversed on even rounds
order() { local r=$1; shift; if [ $((r % 2)) = 0 ]; then printf '%s\n' "$@" | tac; else printf '%s\n' "$@"; fi; }

# trace_begin PID / trace_end WHO SCENARIO UNITS UNIT: with BENCH_STRACE=1, syscalls per unit over the interval.
TRACE=${BENCH_STRACE:-0}; TRACER=""
[ "$TRACE" = 1 ] && ! command -v strace >/dev/null && { note "strace is not installed: BENCH_STRACE ignored"; TRACE=0; }
trace_begin() {
  [ "$TRACE" = 1 ] || return 0
  rm -f "$WORK/strace.txt"
  strace -c -f -p "$1" -o "$WORK/strace.txt" 2>/dev/null & TRACER=$!; PIDS+=("$TRACER")
  sleep 1 # attached to every thread before the load starts
}
trace_end() {
  [ "$TRACE" = 1 ] || return 0
  kill -INT "$TRACER" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$TRACER" 2>/dev/null || break; sleep 0.05; done
  wait "$TRACER" 2>/dev/null || true
  note "strace $2 $1: $(python3 - "$WORK/strace.txt" "$3" "$4" <<'PY'
import sys
path, units, unit = sys.argv[1], float(sys.argv[2] or 0), sys.argv[3]
calls = {}
for line in open(path):
    f = line.split()
    if len(f) >= 5 and f[0][0].isdigit() and f[-1] != "total":
        calls[f[-1]] = int(f[3])
total = sum(calls.values())
top = sorted(calls.items(), key=lambda kv: -kv[1])[:8]
per = lambda n: f"{n / units:.2f}" if units else "?"
print(f"{per(total)} syscalls per {unit} (" + ", ".join(f"{k} {per(v)}" for k, v in top) + ")")
PY
)"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_listening() { # PORT PID
  for _ in $(seq 1 200); do
    if ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; then return 0; fi
    kill -0 "$2" 2>/dev/null || { log "server exited before listening"; return 1; }
    sleep 0.05
  done
  log "nothing listens on $1"; return 1
}

# start NAME PORT CMD...  (PORT "auto": the server prints "... AT host:PORT LISTENING"); sets SERVER_PID/PORT
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
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
stop() { stop_pid "$SERVER_PID"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

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
    sockit) start sockit-echo auto "$SOCKIT" serve 0 --echo --bind 127.0.0.1 --backlog 4096 ;;
    cref) start cref-echo auto "$BIN/refserver" echo 0 ;;
  esac
}
WARM=$(calc "$SECS / 4" 1)
# loadgen MODE PORT N SECONDS [SIZE]: the load generator on the load core, bounded
loadgen() { local m=$1 p=$2; shift 2; timeout $((${2%.*} + 60)) "${LOAD[@]}" "$BIN/loadgen" "$m" 127.0.0.1 "$p" "$@"; }

# ---- 1: grumpy, 50 concurrent clients: server CPU per exchange ----
if want 1; then
  declare -A GP=() GPORT=(); live=()
  peers=(sockit cref seed); [ "$QUICK" = 1 ] || peers+=(socat ncat)
  for c in "${peers[@]}"; do
    have $c || continue
    start_grumpy $c; GP[$c]=$SERVER_PID; GPORT[$c]=$SERVER_PORT; live+=("$c")
    loadgen grumpy "$SERVER_PORT" 50 "$WARM" >/dev/null
  done
  for r in $(seq 1 "$ROUNDS"); do
    for c in $(order "$r" "${live[@]}"); do
      trace_begin "${GP[$c]}"
      c0=$(cpu_us "${GP[$c]}")
      line=$(loadgen grumpy "${GPORT[$c]}" 50 "$SECS")
      settle "${GP[$c]}"; c1=$(cpu_us "${GP[$c]}")
      n=$(field exchanges "$line")
      trace_end "$c" 1 "$n" exchange
      round 1 "$c" "$r" "cpu_us=$(calc "($c1 - $c0) / ($n > 0 ? $n : 1)")" "rate=$(field rate "$line")" \
        "p99_us=$(field p99_us "$line")" "errors=$(field errors "$line")"
    done
  done
  for c in "${live[@]}"; do stop_pid "${GP[$c]}"; done
fi

# ---- 2: bulk, one stream of BULK_MIB (4 GiB; 1 GiB quick) ----
# 2  (receive): loadgen bulk (core 1) pours into the contender listening (core 0), whose stdout is a pipe
#    drained by cat on core 1; the receiver's CPU per GiB (runcpu: its rusage at exit minus /proc at start).
# 2n (receive, discard): the same into /dev/null, like with like against iperf3's server (iperf3 -s, which
#    discards in memory; its client iperf3 -c sends, as loadgen cannot speak iperf3's control protocol; both
#    senders write from memory): the receive throughput row, and the receiver's CPU per GiB beside nc's.
# 2s (send): head -c (core 1) | contender as a client (core 0) -> refserver sink (core 1); the sender's CPU
#    per GiB and bytes / wall time of the pipeline.
SOCKIT_BUF=(); [ -n "${SOCKIT_BUFFER:-}" ] && SOCKIT_BUF=(--buffer "$SOCKIT_BUFFER")
bulk_cmd_rx() { # CONTENDER PORT: a listener that writes what arrives to stdout
  case $1 in
    sockit) echo "exec \"$SOCKIT\" cat -l 127.0.0.1 $2 ${SOCKIT_BUF[*]} </dev/null" ;;
    nc) echo "exec nc -d -l 127.0.0.1 $2" ;;
    ncat) echo "exec ncat -l 127.0.0.1 $2 --recv-only </dev/null" ;;
    socat) echo "exec socat -u TCP-LISTEN:$2,bind=127.0.0.1,reuseaddr STDOUT" ;;
  esac
}
bulk_cmd_tx() { # CONTENDER PORT: a client that sends stdin and ends after stdin's EOF
  case $1 in
    sockit) echo "exec \"$SOCKIT\" cat ${SOCKIT_BUF[*]} 127.0.0.1 $2 >/dev/null" ;;
    nc) echo "exec nc -N 127.0.0.1 $2 >/dev/null" ;;
  esac
}
BULK_SECS=$((SECS < 5 ? 30 : 6 * SECS)) # a bound, not the measure: 1 GiB takes about a second here
# under_runcpu NAME CMD...: starts CMD on the server core under runcpu; sets RC_PID (runcpu) and CHILD_PID
under_runcpu() {
  local name=$1; shift
  rm -f "$WORK/$name.pid" "$WORK/$name.cpu"
  "$BIN/runcpu" "$WORK/$name.pid" "$WORK/$name.cpu" "${SRV[@]}" "$@" >"$WORK/$name.log" 2>&1 &
  RC_PID=$!; PIDS+=("$RC_PID")
  for _ in $(seq 1 100); do [ -s "$WORK/$name.pid" ] && break; sleep 0.02; done
  CHILD_PID=$(cat "$WORK/$name.pid")
}
# end_runcpu NAME START_US [BOUND_S]: waits (at most BOUND_S, default 10) for the command to end, then prints
# its CPU since START_US, in us
end_runcpu() {
  for _ in $(seq 1 $((${3:-10} * 20))); do kill -0 "$RC_PID" 2>/dev/null || break; sleep 0.05; done
  stop_pid "$RC_PID"
  local total; total=$(field cpu_us "$(cat "$WORK/$1.cpu" 2>/dev/null)")
  echo $(( ${total:-0} - $2 ))
}
per_gib() { calc "$1 / 1000 / ($2 / 1024)" 1; } # CPU_US MIB -> CPU ms per GiB
# receive_run CONTENDER PORT OUT: the contender listening on PORT (core 0) with stdout to OUT while loadgen pours
# BULK_MIB into it; sets line (loadgen's report) and used (the receiver's CPU, us)
receive_run() {
  under_runcpu "$1rx" sh -c "$(bulk_cmd_rx "$1" "$2") >$3"
  wait_listening "$2" "$CHILD_PID"
  trace_begin "$CHILD_PID"
  local c0; c0=$(cpu_us "$CHILD_PID")
  line=$(loadgen bulk "$2" "$BULK_MIB" "$BULK_SECS")
  used=$(end_runcpu "$1rx" "$c0")
}
if want 2; then
  [ "$HAVE_CAT" = 1 ] || note "scenario 2: this sockit has no 'cat' command"
  live=(); null=()
  for c in sockit ${BULK_PEERS-nc socat ncat iperf3}; do
    { [ $c = sockit ] && [ "$HAVE_CAT" = 0 ]; } && continue
    have $c || continue
    case $c in iperf3) ;; *) live+=("$c") ;; esac
    case $c in sockit|nc|iperf3) null+=("$c") ;; esac
  done
  for r in $(seq 1 "$ROUNDS"); do
    for c in $(order "$r" "${null[@]}"); do
      p=$(free_port)
      if [ "$c" = iperf3 ]; then
        under_runcpu iperf3 iperf3 -s -1 -B 127.0.0.1 -p "$p"
        wait_listening "$p" "$CHILD_PID"
        trace_begin "$CHILD_PID"
        c0=$(cpu_us "$CHILD_PID")
        # iperf3 -n has no time bound of its own; cut at the bound, it prints no report: the round is left out.
        json=$(timeout "$BULK_SECS" "${LOAD[@]}" iperf3 -c 127.0.0.1 -p "$p" -n "${BULK_MIB}M" -J) || json=""
        used=$(end_runcpu iperf3 "$c0")
        if [ -z "$json" ]; then note "2n iperf3 round $r: not done within ${BULK_SECS} s, left out"; trace_end "$c" 2n 0 GiB; continue; fi
        read -r mib mibs < <(python3 -c 'import json,sys; e=json.load(sys.stdin)["end"]["sum_received"]; print("%.0f %.1f" % (e["bytes"]/1048576, e["bits_per_second"]/8/1048576))' <<<"$json")
        trace_end "$c" 2n "$(calc "$mib / 1024" 3)" GiB
      else
        receive_run "$c" "$p" /dev/null
        mib=$(field mib "$line"); mibs=$(field mib_per_s "$line")
        trace_end "$c" 2n "$(calc "$mib / 1024" 3)" GiB
      fi
      round 2n "$c" "$r" "cpu_ms_per_gib=$(per_gib "$used" "$mib")" "mib_s=$mibs" "mib=$mib"
    done
    for c in $(order "$r" "${live[@]}"); do
      p=$(free_port)
      fifo="$WORK/bulk.fifo"; rm -f "$fifo"; mkfifo "$fifo"
      "${LOAD[@]}" cat "$fifo" >/dev/null & drain=$!; PIDS+=("$drain")
      receive_run "$c" "$p" "$fifo"
      stop_pid "$drain"
      mib=$(field mib "$line")
      trace_end "$c" 2 "$(calc "$mib / 1024" 3)" GiB
      round 2 "$c" "$r" "cpu_ms_per_gib=$(per_gib "$used" "$mib")" "mib_s=$(field mib_per_s "$line")" "mib=$mib"
    done
    for c in $(order "$r" "${live[@]}"); do
      case $c in sockit|nc) ;; *) continue ;; esac
      start sink auto "${LOAD[@]}" "$BIN/refserver" sink 0
      fifo="$WORK/tx.fifo"; rm -f "$fifo"; mkfifo "$fifo"
      under_runcpu "${c}tx" sh -c "$(bulk_cmd_tx "$c" "$SERVER_PORT") <$fifo"
      t0=$(date +%s.%N)
      "${LOAD[@]}" head -c "${BULK_MIB}M" /dev/zero >"$fifo" & feed=$!; PIDS+=("$feed")
      used=$(end_runcpu "${c}tx" 0 "$BULK_SECS")
      t1=$(date +%s.%N)
      stop_pid "$feed"; stop
      round 2s "$c" "$r" "cpu_ms_per_gib=$(per_gib "$used" "$BULK_MIB")" "mib_s=$(calc "$BULK_MIB / ($t1 - $t0)" 1)"
    done
  done
fi

# ---- 3: echo 64 B ping-pong on 1 connection; 4: on 100 connections: server CPU per message ----
# sockperf cannot drive a plain echo server (against refserver echo its client reports "No messages were
# received from the server": its messages carry a header its own server answers), so it runs against its own
# server: a C++ latency floor, reported beside.
if want 3 || want 4; then
  declare -A EP=() EPORT=(); live=()
  for c in sockit cref; do
    start_echo $c; EP[$c]=$SERVER_PID; EPORT[$c]=$SERVER_PORT; live+=("$c")
    loadgen echo "$SERVER_PORT" 100 "$WARM" 64 >/dev/null
  done
  SP=""
  if want 3 && have sockperf; then
    p=$(free_port); start sockperf "$p" sockperf sr --tcp -i 127.0.0.1 -p "$p"; SP=$SERVER_PID; SPORT=$p
  fi
  for r in $(seq 1 "$ROUNDS"); do
    for s in 3 4; do
      want $s || continue
      conns=$([ $s = 3 ] && echo 1 || echo 100)
      for c in $(order "$r" "${live[@]}"); do
        trace_begin "${EP[$c]}"
        c0=$(cpu_us "${EP[$c]}")
        line=$(loadgen echo "${EPORT[$c]}" "$conns" "$SECS" 64)
        c1=$(cpu_us "${EP[$c]}")
        n=$(field messages "$line")
        trace_end "$c" "$s" "$n" message
        cpu="cpu_us=$(calc "($c1 - $c0) / ($n > 0 ? $n : 1)")"
        if [ $s = 3 ]; then
          round 3 "$c" "$r" "$cpu" "p50_us=$(field p50_us "$line")" "p99_us=$(field p99_us "$line")" "rate=$(field rate "$line")"
        else
          round 4 "$c" "$r" "$cpu" "rate=$(field rate "$line")" "p99_us=$(field p99_us "$line")"
        fi
      done
      if [ $s = 3 ] && [ -n "$SP" ]; then
        out=$(timeout $((SECS + 30)) "${LOAD[@]}" sockperf pp --tcp -i 127.0.0.1 -p "$SPORT" -m 64 -t "$SECS" --full-rtt 2>&1 || true)
        p50=$(sed -n 's/.*percentile 50.000 = *\([0-9.]*\).*/\1/p' <<<"$out"); p99=$(sed -n 's/.*percentile 99.000 = *\([0-9.]*\).*/\1/p' <<<"$out")
        [ -n "$p50" ] && round 3 sockperf "$r" "p50_us=$p50" "p99_us=$p99"
      fi
    done
  done
  for c in "${live[@]}"; do stop_pid "${EP[$c]}"; done
  [ -z "$SP" ] || stop_pid "$SP"
fi

# ---- 5: 10,000 idle connections: server RSS growth per connection (one round: memory is not noisy) ----
if want 5; then
  for c in sockit sockit-echo cref; do
    case $c in
      sockit) start_grumpy sockit ;;
      sockit-echo) start_echo sockit ;;
      cref) start_grumpy cref ;;
    esac
    sleep 0.5
    before=$(rss_kib "$SERVER_PID")
    held="$WORK/idle.out"; : >"$held"
    hold=$((SECS < 5 ? 5 : SECS))
    timeout $((hold + 120)) "${LOAD[@]}" "$BIN/loadgen" idle 127.0.0.1 "$SERVER_PORT" "$IDLE_CONNS" "$hold" >"$held" &
    lg=$!; PIDS+=("$lg")
    for _ in $(seq 1 1200); do grep -q READY "$held" && break; sleep 0.05; done
    # Let the server accept the last of them, then take the highest RSS seen over a second.
    peak=0
    for _ in $(seq 1 10); do sleep 0.2; v=$(rss_kib "$SERVER_PID"); [ "$v" -gt "$peak" ] && peak=$v; done
    wait "$lg" || true
    stop
    n=$(field connected "$(grep READY "$held")")
    round 5 "$c" 1 "kib=$(calc "($peak - $before) / ($n > 0 ? $n : 1)")" "conns=$n" "rss_before_kib=$before" \
      "rss_held_kib=$peak" "closed_by_server=$(tail -1 "$held" | sed -n 's/.*closed_by_server=\([0-9]*\).*/\1/p')"
  done
fi

# ---- 6: one-shot start-up: `sockit connect` against cref's grumpy server, vs nc -N and an AOT hello world ----
# hyperfine (pinned to the load core) runs ONESHOT_RUNS/ROUNDS runs of each command per round; CPU is the
# mean user+system time per run that hyperfine reports.
HELLO="$ROOT/out/bench/hello/Sockit.HelloAot"
if want 6 && have hyperfine && have nc; then
  if [ "$BUILD" = 1 ] || [ ! -x "$HELLO" ]; then
    log "publishing the AOT hello world"
    dotnet publish bench/Sockit.HelloAot -c Release -r linux-x64 -o "$ROOT/out/bench/hello" >"$WORK/hello.log" 2>&1 \
      || { cat "$WORK/hello.log" >&2; note "the AOT hello world did not build: left out"; }
  fi
  hello=(); [ -x "$HELLO" ] && hello=(-n hello "$HELLO")
  start_grumpy cref
  runs=$(( ONESHOT_RUNS / ROUNDS > 10 ? ONESHOT_RUNS / ROUNDS : 10 ))
  for r in $(seq 1 "$ROUNDS"); do
    timeout 300 "${LOAD[@]}" hyperfine -N --warmup 3 --runs "$runs" --export-json "$WORK/oneshot.json" \
      -n sockit "$SOCKIT connect 127.0.0.1 $SERVER_PORT" -n nc "nc -N 127.0.0.1 $SERVER_PORT" "${hello[@]}" \
      >"$WORK/hyperfine.txt" 2>&1 || { note "hyperfine failed: $(tail -1 "$WORK/hyperfine.txt")"; break; }
    while read -r name median p99 cpu; do round 6 "$name" "$r" "median_ms=$median" "cpu_ms=$cpu" "p90_ms=$p99"; done < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    t = sorted(r["times"])
    print(r["command"], "%.2f" % (r["median"] * 1000), "%.2f" % (t[int(0.9 * (len(t) - 1))] * 1000),
          "%.2f" % ((r["user"] + r["system"]) * 1000))' "$WORK/oneshot.json")
  done
  stop
fi

# ---- 7: relay: one stream through a TCP forwarder: the forwarder's CPU per GiB ----
# loadgen bulk (core 1) -> forwarder (core 0) -> refserver sink (core 1). HAProxy in TCP mode with
# `option splice-auto`, one thread; socat forks a child per connection (reaped, so counted, before reading).
if want 7; then
  if ! "$SOCKIT" --help 2>/dev/null | grep -qE '^ +relay( |$)'; then note "scenario 7: this sockit has no 'relay' command"; fi
  "${LOAD[@]}" "$BIN/refserver" sink 0 >"$WORK/sink7.log" 2>&1 &
  sinkpid=$!; PIDS+=("$sinkpid")
  for _ in $(seq 1 200); do sp=$(sed -n 's/.*:\([0-9]*\) LISTENING.*/\1/p' "$WORK/sink7.log"); [ -n "$sp" ] && break; sleep 0.05; done
  declare -A RP=() RPORT=(); live=()
  for c in sockit ${BULK_PEERS-haproxy socat}; do
    have $c || continue
    if [ $c = sockit ] && ! "$SOCKIT" --help 2>/dev/null | grep -qE '^ +relay( |$)'; then continue; fi
    p=$(free_port)
    case $c in
      sockit) start relay "$p" "$SOCKIT" relay -l "127.0.0.1:$p" "${SOCKIT_BUF[@]}" 127.0.0.1 "$sp" ;;
      haproxy) cat >"$WORK/haproxy.cfg" <<CFG
global
  nbthread 1
  maxconn 1000
defaults
  mode tcp
  option splice-auto
  timeout connect 5s
  timeout client 60s
  timeout server 60s
listen relay
  bind 127.0.0.1:$p
  server sink 127.0.0.1:$sp
CFG
        start haproxy "$p" haproxy -db -f "$WORK/haproxy.cfg" ;;
      socat) start socat7 "$p" socat "TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$sp" ;;
    esac
    RP[$c]=$SERVER_PID; RPORT[$c]=$p; live+=("$c")
  done
  for r in $(seq 1 "$ROUNDS"); do
    for c in $(order "$r" "${live[@]}"); do
      trace_begin "${RP[$c]}"
      c0=$(cpu_us "${RP[$c]}")
      line=$(loadgen bulk "${RPORT[$c]}" "$BULK_MIB" "$BULK_SECS")
      sleep 0.3; settle "${RP[$c]}" # the forwarder moves the last socket buffers' worth after the sender ends
      used=$(( $(cpu_us "${RP[$c]}") - c0 ))
      mib=$(field mib "$line")
      trace_end "$c" 7 "$(calc "$mib / 1024" 3)" GiB
      round 7 "$c" "$r" "cpu_ms_per_gib=$(per_gib "$used" "$mib")" "mib_s=$(field mib_per_s "$line")" "mib=$mib"
    done
  done
  for c in "${live[@]}"; do stop_pid "${RP[$c]}"; done
  stop_pid "$sinkpid"
fi

# ---- 8: bytes allocated in the server per grumpy exchange (no log sink) and per echo message ----
# bench/alloc-probe.py over bench/Sockit.AllocProbe (this worktree's src/, JIT, workstation GC).
if want 8; then
  PROBE="$ROOT/bench/Sockit.AllocProbe/bin/Release/net10.0/Sockit.AllocProbe.dll"
  if [ "$BUILD" = 1 ] || [ ! -f "$PROBE" ]; then
    log "building the allocation probe"
    dotnet build -c Release bench/Sockit.AllocProbe >"$WORK/probe.log" 2>&1 || { cat "$WORK/probe.log" >&2; note "the allocation probe did not build"; }
  fi
  if [ -f "$PROBE" ]; then
    for mode in grumpy echo; do
      out=$(DOTNET_gcServer=0 timeout 300 python3 bench/alloc-probe.py "$PROBE" "$mode" none "$ALLOC_N" 2>&1 || true)
      b=$(sed -n 's/.*: \([0-9.]*\) B per.*/\1/p' <<<"$out")
      if [ -n "$b" ]; then round 8 "sockit-$mode" 1 "bytes=$b"; else note "alloc probe $mode failed: $(tail -1 <<<"$out")"; fi
    done
  fi
fi

# ---- the table ----
python3 bench/table.py "$ROUNDS_TSV" "$RESULTS" "$NOTES" >"$OUT/table.md"
cat "$OUT/table.md"
echo
echo "(${ROUNDS} rounds of ${SECS} s, medians; bulk ${BULK_MIB} MiB; $(date -u +%Y-%m-%dT%H:%MZ); loadavg at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; every round in $ROUNDS_TSV)"
exit 0
}
