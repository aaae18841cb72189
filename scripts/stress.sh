#!/usr/bin/env bash
# The full-size reliability runs (the default test run uses smaller counts):
#   8 processes x 250 adds while others search (2,000 memories), 20 rounds of kill -9 during a stream of adds,
#   10,000 adds in a row with the WAL bound. Uses a temporary LOCALMEM_HOME; the processes are the binary that
#   install.sh builds (installed into a temporary prefix); prints each test's result.
set -euo pipefail
cd "$(dirname "$0")/.."
export LOCALMEM_HOME="$(mktemp -d -t localmem-stress-XXXXXX)"
prefix="$(mktemp -d -t localmem-stress-prefix-XXXXXX)"
trap 'rm -rf "$LOCALMEM_HOME" "$prefix"' EXIT
export LOCALMEM_STRESS_ADDS=250 LOCALMEM_KILL_ROUNDS=20 LOCALMEM_WAL_ADDS=10000
scripts/fetch-assets.sh --models arctic-xs,minilm
dotnet build LocalMemory.sln -c Release -v quiet -nologo
./install.sh --prefix "$prefix" --models arctic-xs,minilm > /dev/null
export LOCALMEM_EXE="$prefix/bin/localmem"
dotnet test tests/LocalMemory.Cli.Tests -c Release --no-build -nologo --filter "ConcurrencyTests|CrashTests" --logger "console;verbosity=normal"
dotnet test tests/LocalMemory.Core.Tests -c Release --no-build -nologo --filter "WalTests" --logger "console;verbosity=detailed"
