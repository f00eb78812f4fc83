#!/usr/bin/env bash
# TLS benchmarks (issue 10): bulk throughput and CPU per GiB of `sockit nc --ssl` against `socat OPENSSL`
# and `ncat --ssl`, each tool talking to itself, and TLS handshakes per second (openssl s_time, new sessions)
# against `sockit nc -lk --ssl` and `ncat --ssl -lk`. Everything on 127.0.0.1, bounded in time.
#   [BULK=0] [ROUNDS=3] [CLIENTS=4] [KEY=ec|rsa] bench/tls.sh [MIB] [SECS]   (default 1024 MiB per bulk run, 10 s of handshakes per round)
# Uses out/aot/sockit (bench/publish-aot.sh), or SOCKIT=PATH. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
MIB="${1:-1024}"; SECS="${2:-10}"
# BULK=0 skips the bulk runs (handshakes only).
sockit=${SOCKIT:-out/aot/sockit}
[ -x "$sockit" ] || sockit=$(bash bench/publish-aot.sh out/aot)
work=$(mktemp -d /tmp/sockit-tls-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
if [ "${KEY:-ec}" = rsa ]; then keyopt=(-newkey rsa:2048); else keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); fi
openssl req -x509 "${keyopt[@]}" -nodes -keyout "$work/k.pem" -out "$work/c.pem" \
  -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -days 1 2>/dev/null
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_listen() { for _ in $(seq 100); do ss -ltn "sport = :$1" | grep -q LISTEN && return 0; sleep 0.05; done; echo "nothing listens on $1" >&2; exit 1; }

# bulk NAME LISTENER CLIENT: MIB of zeros client -> listener; prints "NAME MiB/s cpu-s/GiB"
bulk() {
  local name=$1 p; p=$(port)
  local listener=${2//PORT/$p} client=${3//PORT/$p}
  /usr/bin/time -f "%U %S" -o "$work/l.time" taskset -c 0 bash -c "exec $listener" </dev/null >/dev/null 2>"$work/l.err" &
  local lpid=$!
  wait_listen "$p"
  local start end
  start=$(date +%s.%N)
  head -c "${MIB}M" /dev/zero | /usr/bin/time -f "%U %S" -o "$work/c.time" taskset -c 1 bash -c "exec $client" >/dev/null 2>"$work/c.err"
  wait "$lpid" || true
  end=$(date +%s.%N)
  python3 - "$name" "$MIB" "$start" "$end" "$work/l.time" "$work/c.time" <<'PY'
import sys
name, mib, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
cpu = sum(sum(map(float, open(f).read().split()[-2:])) for f in sys.argv[5:7])
print(f"| bulk {name} | {mib / (end - start):.0f} MiB/s | {cpu / (mib / 1024):.2f} CPU-s/GiB |")
PY
}

echo "| measurement | figure | cost |"
echo "|---|---|---|"
if [ "${BULK:-1}" != 0 ]; then
bulk "sockit nc --ssl" "$sockit nc -l --recv-only --ssl-cert $work/c.pem --ssl-key $work/k.pem 127.0.0.1 PORT" \
  "$sockit nc --send-only --ssl-trustfile $work/c.pem 127.0.0.1 PORT"
bulk "socat OPENSSL" "socat -b 65536 -u OPENSSL-LISTEN:PORT,bind=127.0.0.1,reuseaddr,cert=$work/c.pem,key=$work/k.pem,verify=0 STDOUT" \
  "socat -b 65536 -u STDIN OPENSSL:127.0.0.1:PORT,cafile=$work/c.pem,verify=1"
bulk "ncat --ssl" "ncat --ssl --ssl-cert $work/c.pem --ssl-key $work/k.pem --recv-only -l 127.0.0.1 PORT" \
  "ncat --ssl --ssl-verify --ssl-trustfile $work/c.pem --send-only localhost PORT"
fi

# handshakes NAME LISTENER: one round of new TLS sessions for SECS by CLIENTS concurrent `openssl s_time -new`
# processes (capacity, not one client's latency), all pinned to core 1; prints "rate cpu_ms_per_handshake" (the
# listener's user + system CPU over the round, from /proc, per handshake the clients completed).
handshakes() {
  local p; p=$(port)
  local listener=${2//PORT/$p}
  taskset -c 0 bash -c "exec $listener" < <(sleep $((SECS + 30))) >/dev/null 2>&1 &
  local lpid=$!
  pids+=($lpid)
  wait_listen "$p"
  local before after start end i clients=()
  before=$(cpu_ticks "$lpid"); start=$(date +%s.%N)
  for i in $(seq "$CLIENTS"); do
    taskset -c 1 openssl s_time -connect "127.0.0.1:$p" -new -time "$SECS" >"$work/st.$i" 2>/dev/null &
    clients+=($!)
  done
  wait "${clients[@]}" || true
  after=$(cpu_ticks "$lpid"); end=$(date +%s.%N)
  kill "$lpid" 2>/dev/null || true
  cat "$work"/st.* | python3 -c '
import sys, os, re
hz = os.sysconf("SC_CLK_TCK")
n = sum(int(c) for c in re.findall(r"^(\d+) connections in [\d.]+ real seconds", sys.stdin.read(), re.M))
print(f"{n / (float(sys.argv[4]) - float(sys.argv[3])):.0f} {(int(sys.argv[2]) - int(sys.argv[1])) / hz * 1000 / n:.3f}")' "$before" "$after" "$start" "$end"
  rm -f "$work"/st.*
}
# utime + stime of a process, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# ROUNDS rounds, sockit and ncat alternating (so both see the same background load), medians reported.
ROUNDS="${ROUNDS:-3}"; CLIENTS="${CLIENTS:-4}"
# BASELINE=PATH adds another sockit binary (an earlier build) to every round, for before/after figures.
declare -a ours=() theirs=() base=()
for _ in $(seq "$ROUNDS"); do
  ours+=("$(handshakes sockit "$sockit nc -lk --ssl --ssl-cert $work/c.pem --ssl-key $work/k.pem 127.0.0.1 PORT")")
  theirs+=("$(handshakes ncat "ncat --ssl --ssl-cert $work/c.pem --ssl-key $work/k.pem -lk 127.0.0.1 PORT")")
  [ -z "${BASELINE:-}" ] || base+=("$(handshakes baseline "$BASELINE nc -lk --ssl --ssl-cert $work/c.pem --ssl-key $work/k.pem 127.0.0.1 PORT")")
done
# median of the rates and of the CPU per handshake, then every round's "rate/cpu"
median() { python3 -c "import sys,statistics as s; v=[l.split() for l in sys.argv[1:]]; print(f'{s.median(float(x[0]) for x in v):.0f}/s', f'{s.median(float(x[1]) for x in v):.2f}', ' '.join(x[0] + '/' + x[1] for x in v))" "$@"; }
row() { local r c all; read -r r c all <<<"$(median "${@:2}")"; echo "| handshakes $1 | $r (rounds, rate/CPU-ms: $all) | $c server CPU-ms/handshake |"; }
row "sockit nc -lk --ssl" "${ours[@]}"
row "ncat --ssl -lk" "${theirs[@]}"
[ -z "${BASELINE:-}" ] || row "baseline $BASELINE" "${base[@]}"
