#!/usr/bin/env bash
# The test command (README, CI): fetches the assets, builds, runs every test project against a temporary
# LOCALMEM_HOME, and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export LOCALMEM_HOME="$(mktemp -d -t localmem-test-home-XXXXXX)"   # never the real ~/.localmem
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
trap 'rm -rf "$LOCALMEM_HOME"' EXIT
log="$(mktemp -t localmem-test-log-XXXXXX)"

fail() { echo "$1" >&2; echo "0 passed, 1 failed"; exit 1; }
scripts/fetch-assets.sh --models arctic-xs,minilm || fail "error: fetching the assets failed (see above)"
dotnet build LocalMemory.sln -c Release -v quiet -nologo || fail "error: the build failed (see above)"
dotnet test LocalMemory.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# vstest prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 73, Skipped: 0, Total: 73, ..."
read -r passed failed < <(grep -E '^(Passed|Failed)! +- ' "$log" |
  sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\2 \1/' |
  awk '{p += $1; f += $2} END {print p + 0, f + 0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
