#!/usr/bin/env bash
# The issue's full-size broker runs, too long for every CI run (docs/reliability.md records the figures):
#   - 1,000 chat members, one never reads, 200 MiB of lines sent: dropped with a -v line, the others hear every
#     line, the broker's peak RSS printed;
#   - 2,000 broker members at once, each heard by every other (and ncat --broker beside it, which cannot: select()'s
#     FD_SETSIZE).
# Usage: bench/broker-full.sh   (builds Release first; needs the peers CI installs)
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 || true
dotnet build tests/Sockit.IntegrationTests -c Release >/dev/null
SOCKIT_BROKER_FULL=1 dotnet test tests/Sockit.IntegrationTests -c Release --no-build \
  --filter "FullyQualifiedName~BrokerSlowMemberTests|FullyQualifiedName~BrokerManyMembersTests" \
  --logger "console;verbosity=detailed" | grep -E "members|Passed|Failed|ncat"
