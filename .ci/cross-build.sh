#!/usr/bin/env bash
# Every OS from one code base: builds the library, the CLI and the unit tests (tests/Sockit.Tests, which
# references both) as framework-dependent builds for Windows, macOS and Linux on ARM, cross-compiled here.
# Only linux-x64 can run them on this machine, so for the others "pass" means: built, zero warnings (CA1416,
# the platform-compatibility analyzer, is an error: a Linux-only call outside a guard fails the build).
# Outputs go to a temporary artifacts directory, so the working tree's bin/ and obj/ are left alone.
# Usage: .ci/cross-build.sh [RID...]   (default: win-x64 osx-arm64 linux-arm64); each build is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(win-x64 osx-arm64 linux-arm64)
work=$(mktemp -d /tmp/sockit-cross.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0
for rid in "${rids[@]}"; do
  log=$work/$rid.log
  start=$SECONDS
  if timeout 900 dotnet build tests/Sockit.Tests/Sockit.Tests.csproj -c Release -r "$rid" --self-contained false \
       --artifacts-path "$work/$rid" -nologo -v m >"$log" 2>&1; then
    warnings=$(grep -c ': warning ' "$log" || true)
    if [ "$warnings" -eq 0 ]; then
      echo "cross-build: $rid built with zero warnings ($((SECONDS - start))s)"
    else
      grep ': warning ' "$log" | sort -u >&2
      echo "cross-build: FAILED: $rid built with $warnings warnings" >&2
      status=1
    fi
  else
    grep -E ': (error|warning) ' "$log" | sort -u >&2 || tail -20 "$log" >&2
    echo "cross-build: FAILED: $rid did not build ($((SECONDS - start))s)" >&2
    status=1
  fi
done
exit $status
