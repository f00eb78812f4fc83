#!/usr/bin/env bash
# Server CPU per unit of work for several sockit binaries and the C reference, in alternating rounds: the
# before/after method of docs/benchmarks.md ("Grumpy, echo and idle"), in one script.
#   bench/cpu-rounds.sh MODE ROUNDS SECONDS NAME=SOCKIT_BINARY...
#     MODE echo:   `sockit serve 0 --echo` / `refserver echo`, loadgen echo 100 connections of 64 B ping-pong
#     MODE grumpy: `sockit serve 0` / `refserver grumpy`, loadgen grumpy 50 clients
# e.g. bench/cpu-rounds.sh echo 5 4 before=/tmp/before/sockit after=/tmp/after/sockit
# Servers pinned to core 0 (logging to a file), loadgen to core 1; CPU = the server's utime+stime from
# /proc/PID/stat over the round divided by the messages (exchanges) loadgen counted; the order of the servers is
# reversed every other round so all see the same background. One line per server and round: take the medians.
set -u
mode=$1 rounds=$2 secs=$3; shift 3
B=$(cd "$(dirname "$0")/.." && pwd)/out/cpu-rounds; TCK=$(getconf CLK_TCK); W=$(mktemp -d)
mkdir -p "$B"
[ -x "$B/loadgen" ] || gcc -O2 -o "$B/loadgen" "$B/../../bench/c/loadgen.c"
[ -x "$B/refserver" ] || gcc -O2 -o "$B/refserver" "$B/../../bench/c/refserver.c"
trap 'for n in "${names[@]}"; do kill "${PID[$n]}" 2>/dev/null; done; rm -rf "$W"' EXIT
declare -A PID PORT; names=()
cpu() { local s; s=$(cat /proc/$1/stat); s=${s##*) }; set -- $s; echo $(( (${12} + ${13}) * 1000000 / TCK )); }
for spec in "$@" cref; do
  name=${spec%%=*}; bin=${spec#*=}; names+=("$name")
  if [ "$name" = cref ]; then taskset -c 0 $B/refserver $mode 0 >$W/$name.log 2>&1 &
  elif [ "$mode" = echo ]; then taskset -c 0 $bin serve 0 --echo --bind 127.0.0.1 --backlog 4096 >$W/$name.log 2>&1 &
  else taskset -c 0 $bin serve 0 --bind 127.0.0.1 --backlog 4096 >$W/$name.log 2>&1 & fi
  PID[$name]=$!
  for _ in $(seq 1 200); do p=$(sed -n 's/.*:\([0-9]*\) LISTENING.*/\1/p' $W/$name.log | head -1); [ -n "$p" ] && break; sleep 0.05; done
  PORT[$name]=$p
done
run() { if [ "$mode" = echo ]; then timeout $(($2 + 60)) taskset -c 1 $B/loadgen echo 127.0.0.1 $1 100 $2 64; else timeout $(($2 + 60)) taskset -c 1 $B/loadgen grumpy 127.0.0.1 $1 50 $2; fi; }
for n in "${names[@]}"; do run ${PORT[$n]} 1 >/dev/null; done
for r in $(seq 1 $rounds); do
  list=("${names[@]}"); [ $((r % 2)) = 0 ] && list=($(printf '%s\n' "${names[@]}" | tac))
  for n in "${list[@]}"; do
    c0=$(cpu ${PID[$n]}); line=$(run ${PORT[$n]} $secs); c1=$(cpu ${PID[$n]})
    units=$(sed -n 's/.*\b\(messages\|exchanges\)=\([0-9]*\).*/\2/p' <<<"$line")
    echo "round $r $n cpu_us=$(awk "BEGIN{printf \"%.2f\", ($c1-$c0)/($units>0?$units:1)}") units=$units rss_kib=$(awk '/^VmRSS/{print $2}' /proc/${PID[$n]}/status) load=$(cut -d" " -f1 /proc/loadavg)"
  done
done
