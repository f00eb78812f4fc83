#!/usr/bin/env bash
# The reliability suite of issue 8 (docs/reliability.md): one command, one table.
#   bench/reliability/run.sh [--quick] [--only a,b] [--no-build]
#     --quick      CI's size (smaller counts; peers measured in the full run only); fails on a goal not met
#     --only LIST  comma-separated scenarios (see SCENARIOS in suite.py), e.g. --only idle,lossy:client-sends
#     --no-build   use the Release build already there (CI has just built it)
# Builds the Release CLI, then runs every scenario in its own child process, each bounded at 2 minutes, and
# prints the Markdown table (also written to out/reliability/table.md). Needs root for the network
# namespaces of the packet-loss scenario; everything else stays on loopback.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || exec sudo -E bash "$0" "$@"
build=1; args=()
for a in "$@"; do
  if [ "$a" = --no-build ]; then build=0; else args+=("$a"); fi
done
if [ "$build" = 1 ]; then
  dotnet build src/Sockit.Cli -c Release -nologo -v q >/dev/null || { echo "[Reliability error]: build failed" >&2; exit 1; }
fi
ulimit -n "$(ulimit -Hn)" # 10,000 idle connections need 20,000 descriptors between client and server
mkdir -p out/reliability
exec python3 bench/reliability/suite.py ${args[@]+"${args[@]}"} --table out/reliability/table.md
