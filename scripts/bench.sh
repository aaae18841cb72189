#!/usr/bin/env bash
# localmem's benchmark: builds what install.sh builds (Native AOT, or ReadyToRun without a C toolchain) into a temporary prefix,
# installs the npm peer (@modelcontextprotocol/server-memory), and prints one table of medians with their
# spread. Never touches ~/.localmem. Usage: scripts/bench.sh [--sizes 1000,10000,100000] [--only hooks|search]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="$(mktemp -d -t localmem-bench-prefix-XXXXXX)"
export LOCALMEM_HOME="$(mktemp -d -t localmem-bench-home-XXXXXX)"
trap 'rm -rf "$prefix" "$LOCALMEM_HOME"' EXIT
./install.sh --prefix "$prefix" > /dev/null
(cd scripts/peer && npm ci --no-audit --no-fund --loglevel=error > /dev/null)
eval_args=()
[ -f ../shared/eval/recall-dev.json ] && eval_args=(--eval "$PWD/../shared/eval/recall-dev.json")
dotnet run --project scripts/Bench/Bench.csproj -c Release -v quiet -- \
  --localmem "$prefix/bin/localmem" --peer "$PWD/scripts/peer/node_modules/@modelcontextprotocol/server-memory/dist/index.js" \
  "${eval_args[@]}" "$@"
