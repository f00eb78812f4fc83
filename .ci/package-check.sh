#!/usr/bin/env bash
# Ships what a .NET user installs, then uses it as they would: packs the Sockit library and the sockit tool
# (Sockit.Cli) into a local feed, checks what the packages carry (README, license, XML docs, symbols),
# installs the tool into an empty tool path, runs `sockit --version` and a grumpy exchange with it, then
# creates a fresh console project that references the Sockit package and talks to that server through the
# library's public API; last, ./install.sh (docs/install.md's one command) into an empty directory. Prints one
# line per step; any failure exits non-zero. CI runs it after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d /tmp/sockit-package.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "package-check: FAILED: $*" >&2; exit 1; }
step() { echo "package-check: $* (${SECONDS}s)"; }

feed=$work/feed
mkdir -p "$feed"
for project in src/Sockit src/Sockit.Cli; do
  dotnet pack "$project" -c Release -o "$feed" -v q -nologo >"$work/pack.log" 2>&1 || { cat "$work/pack.log" >&2; fail "dotnet pack $project"; }
done

# Sockit.0.1.0.nupkg -> 0.1.0 (the library and the tool share one version).
library=$(ls "$feed"/Sockit.[0-9]*.nupkg)
version=$(basename "$library" .nupkg); version=${version#Sockit.}
tool=$feed/Sockit.Cli.$version.nupkg
[ -f "$tool" ] || fail "no $tool beside $library"
step "packed Sockit and Sockit.Cli $version"

# What each package must carry; the symbols go in .snupkg files beside them.
python3 - "$library" "$tool" <<'EOF' || fail "package contents"
import sys, zipfile
def need(path, names):
    have = set(zipfile.ZipFile(path).namelist())
    missing = [n for n in names if n not in have]
    if missing:
        sys.exit(f"{path} lacks {missing}; it holds {sorted(have)}")
    nuspec = next(n for n in have if n.endswith(".nuspec"))
    text = zipfile.ZipFile(path).read(nuspec).decode()
    for field in ('<license type="expression">MIT</license>', "<readme>README.md</readme>", '<repository type="git"'):
        if field not in text:
            sys.exit(f"{path}: {nuspec} lacks {field}")
library, tool = sys.argv[1], sys.argv[2]
need(library, ["README.md", "lib/net10.0/Sockit.Core.dll", "lib/net10.0/Sockit.Core.xml"])
need(tool, ["README.md", "tools/net10.0/any/sockit.dll", "tools/net10.0/any/DotnetToolSettings.xml"])
for path in (library, tool):
    symbols = path[:-len(".nupkg")] + ".snupkg"
    if not any(n.endswith(".pdb") for n in zipfile.ZipFile(symbols).namelist()):
        sys.exit(f"{symbols} holds no .pdb")
EOF
step "packages carry README, MIT license, repository, XML docs and symbols"

# Our two package ids come from the local feed only (nuget.org may hold unrelated packages with these
# names); everything else may come from nuget.org, as on a developer's machine. A private package folder
# keeps earlier runs' copies of the same version out of the way.
cat >"$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local">
      <package pattern="Sockit" />
      <package pattern="Sockit.Cli" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
EOF
export NUGET_PACKAGES=$work/packages

dotnet tool install Sockit.Cli --version "$version" --tool-path "$work/tools" --configfile "$work/nuget.config" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log" >&2; fail "dotnet tool install Sockit.Cli"; }
sockit=$work/tools/sockit
printed=$("$sockit" --version) || fail "sockit --version exited non-zero"
case "$printed" in "$version"|"$version+"*) ;; *) fail "sockit --version printed '$printed', expected $version" ;; esac
step "installed the tool into an empty tool path: sockit --version = $printed"

"$sockit" serve 0 --bind 127.0.0.1 >"$work/server.log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*:\([0-9]*\) LISTENING.*/\1/p' "$work/server.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/server.log" >&2; fail "the installed sockit printed no LISTENING line"; }
reply=$("$sockit" connect 127.0.0.1 "$port") || fail "sockit connect exited non-zero"
expected="127.0.0.1 said: I'm a grumpy server, don't connect, I don't want no friends!"
[ "$(echo "$reply" | tail -n 1)" = "$expected" ] || fail "sockit connect printed: $reply"
step "installed tool: grumpy exchange on port $port"

# A fresh console project, outside the repository (no Directory.Build.props or central versions reach it).
consumer=$work/consumer
dotnet new console -o "$consumer" -n Consumer >"$work/new.log" 2>&1 || { cat "$work/new.log" >&2; fail "dotnet new console"; }
cp "$work/nuget.config" "$consumer/nuget.config"
dotnet add "$consumer" package Sockit --version "$version" >"$work/add.log" 2>&1 || { cat "$work/add.log" >&2; fail "dotnet add package Sockit"; }
cat >"$consumer/Program.cs" <<'EOF'
using Sockit.Endpoints;
using Sockit.Protocols.Grumpy;

// The library's grumpy client against the server given on the command line.
GrumpyExchange exchange = await GrumpyClient.RunAsync(new GrumpyClientOptions
{
    Server = EndpointSpec.Ip("127.0.0.1", int.Parse(args[0])),
    Message = "Hello from a project that installed the Sockit package",
    Timeout = TimeSpan.FromSeconds(20),
    Log = Console.WriteLine,
});
Console.WriteLine($"reply: {exchange.Reply.Length} bytes, ended by {exchange.End}");
EOF
output=$(dotnet run --project "$consumer" -c Release -- "$port" 2>&1) || { echo "$output" >&2; fail "the consumer project failed"; }
echo "$output" | grep -qxF "$expected" || { echo "$output" >&2; fail "the consumer got no grumpy reply"; }
grep -q "said: Hello from a project that installed the Sockit package" "$work/server.log" \
  || { cat "$work/server.log" >&2; fail "the server did not log the consumer's message"; }
step "fresh console project with the Sockit package: grumpy exchange through the public API"

# docs/install.md's one command for a newcomer, into an empty directory instead of ~/.dotnet/tools.
bash install.sh --tool-path "$work/newcomer" >"$work/newcomer.log" 2>&1 || { cat "$work/newcomer.log" >&2; fail "./install.sh"; }
printed=$("$work/newcomer/sockit" --version) || fail "sockit from ./install.sh: --version exited non-zero"
"$work/newcomer/sockit" completion bash | grep -q '^complete -F _sockit sockit$' || fail "sockit from ./install.sh: no bash completion"
step "./install.sh installed sockit $printed; its completion script registers"
echo "package-check: OK"
