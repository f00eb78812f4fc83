#!/usr/bin/env bash
# Publishes the sockit CLI as a Native AOT binary: out/aot/sockit (one self-contained executable).
# The ILCompiler package comes from NuGet at the version the SDK picks. Fails if the build prints any
# trim or AOT analysis warning (IL2xxx/IL3xxx), so the binary stays warning-free.
#   bench/publish-aot.sh [OUTPUT_DIR]     (default: out/aot)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/aot}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet publish src/Sockit.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$out" >"$log" 2>&1; then
  cat "$log" >&2
  echo "[publish-aot error]: dotnet publish failed" >&2
  exit 1
fi
if grep -E "warning IL[23][0-9]{3}" "$log" >&2; then
  echo "[publish-aot error]: trim/AOT warnings above" >&2
  exit 1
fi
echo "$out/sockit"
