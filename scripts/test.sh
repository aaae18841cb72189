#!/usr/bin/env bash
# The test command (README, CI): fetches the assets, builds, writes the offline bundle with install.sh (Native AOT;
# node and npm kept off its PATH) and installs localmem from it into a temporary prefix, packs the .NET tool from the
# same build, runs every .NET test project and the Node client tests (the official TypeScript MCP SDK, Codex's config
# reader) against a temporary LOCALMEM_HOME, and ends with one line "N passed, N failed".
# Tests that start localmem as a process (the CLI, `localmem serve`) start the installed binary: what users run.
set -uo pipefail
cd "$(dirname "$0")/.."
export LOCALMEM_HOME="$(mktemp -d -t localmem-test-home-XXXXXX)"   # never the real ~/.localmem
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
prefix="$(mktemp -d -t localmem-test-prefix-XXXXXX)"
work="$(mktemp -d -t localmem-test-work-XXXXXX)"
trap 'rm -rf "$LOCALMEM_HOME" "$prefix" "$work"' EXIT
log="$(mktemp -t localmem-test-log-XXXXXX)"

fail() { echo "$1" >&2; echo "0 passed, 1 failed"; exit 1; }

# Installing needs no Node: fetch the assets and run install.sh with a PATH that holds everything but node, npm, npx
# and corepack (on a fresh clone, sqlite-vec then comes from the npm registry without them).
mkdir "$work/path"
IFS=: read -ra dirs <<< "$PATH"
for dir in "${dirs[@]}"; do
  for exe in "$dir"/*; do
    case "${exe##*/}" in node|npm|npx|corepack) continue ;; esac
    [ -x "$exe" ] && [ ! -e "$work/path/${exe##*/}" ] && ln -s "$exe" "$work/path/${exe##*/}"
  done
done
PATH="$work/path" scripts/fetch-assets.sh --models arctic-xs,minilm || fail "error: fetching the assets failed (see above)"
dotnet build LocalMemory.sln -c Release -v quiet -nologo || fail "error: the build failed (see above)"
export LOCALMEM_BUNDLE="$work/localmem.tar.gz"
PATH="$work/path" ./install.sh --bundle "$LOCALMEM_BUNDLE" --models arctic-xs,minilm || fail "error: install.sh --bundle failed (see above)"
mkdir "$work/bundle" && tar -xzf "$LOCALMEM_BUNDLE" -C "$work/bundle" && "$work"/bundle/*/install.sh --prefix "$prefix" ||
  fail "error: installing the bundle failed (see above)"
export LOCALMEM_EXE="$prefix/bin/localmem"

# The .NET tool packages, from the same Native AOT build (the second publish finds it up to date).
export LOCALMEM_TOOL_SOURCE="$work/packages"
linker=(); command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)
rid=$(basename "$work"/bundle/*/lib/runtimes/*)   # the one platform the bundle holds sqlite-vec for
{ dotnet pack src/LocalMemory.Cli -c Release -r "$rid" -o "$LOCALMEM_TOOL_SOURCE" -v quiet -nologo ${linker[@]+"${linker[@]}"} &&
  dotnet pack src/LocalMemory.Cli -c Release -o "$LOCALMEM_TOOL_SOURCE" -v quiet -nologo; } || fail "error: dotnet pack failed (see above)"

# The browser tests drive Debian's Chromium (Playwright's own browser download cannot be reached from here).
if [ -z "${LOCALMEM_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || fail "error: apt-get install chromium failed (see above)"
  else
    fail "error: the browser tests need Chromium: sudo apt-get install chromium (Debian/Ubuntu), or set LOCALMEM_CHROMIUM to a Chromium or Chrome"
  fi
fi
dotnet test LocalMemory.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# vstest prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 73, Skipped: 0, Total: 73, ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- ' "$log" |
  sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
  awk '{p += $1; f += $2; s += $3} END {print p + 0, f + 0, s + 0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# Clients nobody here wrote, against the installed localmem: node's test runner ends with "# pass N" / "# fail N".
command -v npm >/dev/null || fail "error: Node.js/npm is needed for the client tests"
(cd tests/clients && npm ci --no-audit --no-fund --loglevel=error) || fail "error: npm ci in tests/clients failed"
(cd tests/clients && node --test) 2>&1 | tee "$log"
node_status=${PIPESTATUS[0]}
node_passed=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -1)
node_failed=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -1)
passed=$((passed + ${node_passed:-0}))
failed=$((failed + ${node_failed:-0}))
if [ "$node_status" -ne 0 ] && [ "${node_failed:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
status=$((status | node_status))
rm -f "$log"
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
