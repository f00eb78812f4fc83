#!/usr/bin/env bash
# CI smoke for the benchmark machinery (well under 2 minutes): publishes the Native AOT sockit once
# (failing on any trim/AOT warning), compiles the load generator, then drives the AOT binary for a few
# seconds as grumpy server and as echo server on loopback and checks that every exchange succeeded.
# Last, 32 MiB through the AOT `sockit relay` into `sockit cat -l`, checked by SHA-256.
# It measures nothing worth comparing; bench/run.sh does that.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/sockit-smoke.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

sockit=$(bash bench/publish-aot.sh out/aot)
gcc -O2 -o "$work/loadgen" bench/c/loadgen.c

# serve ARGS...: starts the AOT server on a free port and sets $port
serve() {
  "$sockit" serve 0 --bind 127.0.0.1 --backlog 1024 "$@" >"$work/server.log" 2>&1 &
  pid=$!
  port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*:\([0-9]*\) LISTENING.*/\1/p' "$work/server.log")
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  cat "$work/server.log" >&2
  fail "the AOT server printed no LISTENING line"
}
stop() { kill "$pid"; wait "$pid" || true; pid=""; grep -q "SERVER STOPPED" "$work/server.log" || fail "server did not stop cleanly"; }
check() { # NAME LINE KEY
  local n errors
  n=$(sed -n "s/.*\b$3=\([0-9]*\).*/\1/p" <<<"$2"); errors=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' <<<"$2")
  [ "${n:-0}" -gt 0 ] && [ "${errors:-1}" = 0 ] || fail "$1: $2"
  echo "smoke: $1 ok: $2"
}

serve
check "grumpy, 20 clients, 3 s" "$("$work/loadgen" grumpy 127.0.0.1 "$port" 20 3)" exchanges
stop
serve --echo
check "echo, 10 connections, 2 s" "$("$work/loadgen" echo 127.0.0.1 "$port" 10 2 64)" messages
stop
"$sockit" connect 127.0.0.1 1 >/dev/null 2>"$work/err" && fail "connect to a closed port succeeded"
grep -q "^\[Client connect error\]: Connection refused$" "$work/err" || fail "unexpected error text: $(cat "$work/err")"
# The AOT forwarder: 32 MiB through sockit relay into sockit cat -l, compared by SHA-256.
listen_port() { # LOGFILE: the port of its "Listening on ADDR:PORT" line
  for _ in $(seq 1 100); do
    p=$(sed -n 's/^Listening on [^,]*:\([0-9]*\).*/\1/p' "$1" | head -1)
    [ -n "$p" ] && { echo "$p"; return 0; }
    sleep 0.1
  done
  cat "$1" >&2; fail "no Listening line in $1"
}
head -c 32M /dev/urandom >"$work/data"
: >"$work/cat.log"; : >"$work/relay.log" # exist before the polls below read them
"$sockit" cat -l 127.0.0.1 0 -v </dev/null >"$work/received" 2>"$work/cat.log" & catpid=$!
"$sockit" relay -l 127.0.0.1:0 -v 127.0.0.1 "$(listen_port "$work/cat.log")" 2>"$work/relay.log" & pid=$!
timeout 60 "$sockit" cat 127.0.0.1 "$(listen_port "$work/relay.log")" <"$work/data" >/dev/null || fail "relay: client failed"
timeout 30 tail --pid="$catpid" -f /dev/null || fail "relay: the receiver did not end"
[ "$(sha256sum <"$work/data")" = "$(sha256sum <"$work/received")" ] || fail "relay: the bytes differ"
kill "$pid"; wait "$pid" || true; pid=""
echo "smoke: relay ok: 32 MiB through sockit relay, SHA-256 equal"
# TLS in the AOT binary: a listener with a throwaway certificate, a client pinning the fingerprint it printed,
# 32 MiB across, compared by SHA-256; and the default-verifying client refusing that certificate in one line.
: >"$work/tls.log"
"$sockit" nc -l --ssl -v 127.0.0.1 0 </dev/null >"$work/tls-received" 2>"$work/tls.log" & catpid=$!
tlsport=$(listen_port "$work/tls.log")
pin=$(sed -n 's/.*(clients: --pin \(sha256:[0-9a-f]*\))$/\1/p' "$work/tls.log")
[ -n "$pin" ] || fail "tls: the listener printed no pin: $(cat "$work/tls.log")"
"$sockit" nc --ssl 127.0.0.1 "$tlsport" </dev/null >/dev/null 2>"$work/err" && fail "tls: an unpinned client accepted a self-signed certificate"
grep -q "^\[TLS error\]: certificate for 127.0.0.1 is self-signed and not trusted" "$work/err" || fail "tls: unexpected error text: $(cat "$work/err")"
: >"$work/tls.log"
"$sockit" nc -l --ssl -v 127.0.0.1 0 </dev/null >"$work/tls-received" 2>"$work/tls.log" & catpid=$!
tlsport=$(listen_port "$work/tls.log")
pin=$(sed -n 's/.*(clients: --pin \(sha256:[0-9a-f]*\))$/\1/p' "$work/tls.log")
timeout 60 "$sockit" nc --pin "$pin" 127.0.0.1 "$tlsport" <"$work/data" >/dev/null || fail "tls: pinned client failed"
timeout 30 tail --pid="$catpid" -f /dev/null || fail "tls: the listener did not end"
[ "$(sha256sum <"$work/data")" = "$(sha256sum <"$work/tls-received")" ] || fail "tls: the bytes differ"
echo "smoke: tls ok: 32 MiB over TLS (pinned throwaway certificate), SHA-256 equal; unpinned client refused"
echo "smoke: passed"
