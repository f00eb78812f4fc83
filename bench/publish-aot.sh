#!/usr/bin/env bash
# Publishes the sockit CLI as a Native AOT binary: out/aot/sockit (one self-contained executable).
# The ILCompiler package comes from NuGet at the version the SDK picks. Fails if the build prints any
# trim or AOT analysis warning (IL2xxx/IL3xxx), so the binary stays warning-free.
#   bench/publish-aot.sh [OUTPUT_DIR] [RID]     (defaults: out/aot, linux-x64)
# RID linux-arm64 on an x64 machine cross-compiles with Debian's aarch64 toolchain
# (apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu); docs/install.md says more.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/aot}"
rid="${2:-linux-x64}"
cross=()
if [ "$rid" = linux-arm64 ] && [ "$(uname -m)" != aarch64 ]; then
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 \
    || { echo "[publish-aot error]: linux-arm64 needs aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu)" >&2; exit 1; }
  # The ILCompiler links with clang's --target=aarch64-linux-gnu; gcc is a cross compiler by its name and
  # rejects that option, so the link goes through a wrapper that leaves it out.
  tools=$(mktemp -d)
  cat >"$tools/aarch64-gcc" <<'SH'
#!/usr/bin/env bash
args=()
for arg in "$@"; do [[ $arg == --target=* ]] || args+=("$arg"); done
exec aarch64-linux-gnu-gcc "${args[@]}"
SH
  chmod +x "$tools/aarch64-gcc"
  cross=(-p:CppCompilerAndLinker="$tools/aarch64-gcc" -p:ObjCopyName=aarch64-linux-gnu-objcopy)
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log=$(mktemp)
trap 'rm -f "$log"; [ -z "${tools:-}" ] || rm -rf "$tools"' EXIT
if ! dotnet publish src/Sockit.Cli -c Release -r "$rid" -p:PublishAot=true "${cross[@]}" -o "$out" >"$log" 2>&1; then
  cat "$log" >&2
  echo "[publish-aot error]: dotnet publish failed" >&2
  exit 1
fi
if grep -E "warning IL[23][0-9]{3}" "$log" >&2; then
  echo "[publish-aot error]: trim/AOT warnings above" >&2
  exit 1
fi
echo "$out/sockit"
