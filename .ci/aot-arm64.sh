#!/usr/bin/env bash
# The Native AOT binary for linux-arm64, cross-compiled on x64 (bench/publish-aot.sh with Debian's aarch64
# gcc), then run under qemu-user when it is installed: `sockit --version` and a grumpy exchange between two
# emulated sockit processes on loopback. Not part of .ci/run: the ARM64 ILCompiler takes minutes on a loaded
# machine. Run it before a release.
#   apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user-static
#   .ci/aot-arm64.sh [OUTPUT_DIR]     (default: out/aot-arm64)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/aot-arm64}"
fail() { echo "aot-arm64: FAILED: $*" >&2; exit 1; }

binary=$(bash bench/publish-aot.sh "$out" linux-arm64) || fail "bench/publish-aot.sh $out linux-arm64"
file "$binary" | grep -q 'ARM aarch64' || fail "$binary is not an aarch64 executable: $(file "$binary")"
echo "aot-arm64: published $binary ($(du -h "$binary" | cut -f1), aarch64)"

command -v qemu-aarch64-static >/dev/null 2>&1 || { echo "aot-arm64: qemu-aarch64-static not installed: not run"; exit 0; }
run() { qemu-aarch64-static -L /usr/aarch64-linux-gnu "$binary" "$@"; }
echo "aot-arm64: under qemu: sockit --version = $(run --version)"
log=$(mktemp)
run serve 0 --bind 127.0.0.1 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -f "$log"' EXIT
port=""
for _ in $(seq 1 150); do
  port=$(sed -n 's/.*:\([0-9]*\) LISTENING.*/\1/p' "$log")
  [ -n "$port" ] && break
  sleep 0.2
done
[ -n "$port" ] || { cat "$log" >&2; fail "the emulated server printed no LISTENING line"; }
reply=$(run connect 127.0.0.1 "$port" | tail -n 1)
[ "$reply" = "127.0.0.1 said: I'm a grumpy server, don't connect, I don't want no friends!" ] || fail "the emulated client printed: $reply"
echo "aot-arm64: under qemu: grumpy exchange on port $port"
