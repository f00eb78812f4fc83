#!/usr/bin/env bash
# Installs the sockit command from this clone, for your user: packs the dotnet tool (package Sockit.Cli) into
# a private feed and installs it from there into ~/.dotnet/tools (or DIR). Needs the .NET 10 SDK. Running it
# again replaces the installed sockit with the one built from the code as it is now.
#   ./install.sh [--tool-path DIR]
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
fail() { echo "install.sh: $*" >&2; exit 1; }
command -v dotnet >/dev/null 2>&1 || fail "the .NET 10 SDK is needed first (https://dot.net/download, or apt-get install dotnet-sdk-10.0)"
where=(--global)
case "${1:-}" in
  "") ;;
  --tool-path) [ -n "${2:-}" ] || fail "--tool-path needs a directory"; where=(--tool-path "$2") ;;
  *) fail "usage: ./install.sh [--tool-path DIR]" ;;
esac

work=$(mktemp -d /tmp/sockit-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet pack src/Sockit.Cli -c Release -o "$work/feed" -nologo -v q >"$work/pack.log" 2>&1 || { cat "$work/pack.log" >&2; fail "dotnet pack failed"; }
package=$(ls "$work"/feed/Sockit.Cli.[0-9]*.nupkg)
version=$(basename "$package" .nupkg); version=${version#Sockit.Cli.}

# Only the feed just packed: a tool package carries all it needs, and nothing from elsewhere (nor an older
# copy of the same version in the NuGet cache) can take its place.
cat >"$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="sockit" value="$work/feed" />
  </packageSources>
</configuration>
XML
export NUGET_PACKAGES=$work/packages
dotnet tool uninstall "${where[@]}" Sockit.Cli >/dev/null 2>&1 || true
dotnet tool install "${where[@]}" Sockit.Cli --version "$version" --configfile "$work/nuget.config" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log" >&2; fail "dotnet tool install failed"; }
if [ "${where[0]}" = --global ]; then
  echo "installed sockit $version into ~/.dotnet/tools"
  command -v sockit >/dev/null 2>&1 || echo "add ~/.dotnet/tools to PATH: export PATH=\"\$PATH:\$HOME/.dotnet/tools\""
else
  echo "installed sockit $version into ${where[1]}"
fi
