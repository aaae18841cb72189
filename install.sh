#!/usr/bin/env bash
# Installs localmem for this user (Linux, macOS), or writes a bundle that installs it on a machine with no network:
#   1. checks the prerequisites (.NET 10 SDK; a C toolchain, clang or gcc, for Native AOT),
#   2. fetches the assets and verifies their sha256 (sqlite-vec from the npm registry over HTTPS, no Node.js needed;
#      the ONNX model from NuGet),
#   3. publishes `localmem` as a Native AOT binary (starts in about 100 ms) with the model and the extension beside
#      it. Without a C toolchain, with --no-aot, or for another platform (--rid), it publishes a self-contained
#      ReadyToRun build instead (starts in about 400 ms),
#   4. lays it out as a bundle: lib/, SHA256SUMS (every file's sha256) and the bundle's own install.sh/install.ps1,
#   5. installs that bundle into PREFIX/lib/localmem, links PREFIX/bin/localmem and runs `localmem doctor`; or, with
#      --bundle FILE, writes it to FILE (.tar.gz) instead: unpack it on the other machine and run its install.sh.
# Idempotent; a second run with everything cached needs no network.
# Usage: ./install.sh [--prefix DIR (default ~/.local)] [--models arctic-xs[,minilm]] [--no-aot]
#                     [--bundle FILE [--rid RID]] [--npm-registry URL]
set -euo pipefail
cd "$(dirname "$0")"

prefix="$HOME/.local"
models="arctic-xs"
aot=1
bundle=""
rid=""
registry=()
fail() { echo "error: $1" >&2; exit 1; }
value() { [ $# -ge 2 ] && [ -n "$2" ] || fail "$1 needs a value (see --help)"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) value "$@"; prefix="$2"; shift 2 ;;
    --models) value "$@"; models="$2"; shift 2 ;;
    --no-aot) aot=0; shift ;;
    --bundle) value "$@"; bundle="$2"; shift 2 ;;
    --rid) value "$@"; rid="$2"; shift 2 ;;
    --npm-registry) value "$@"; registry=(--npm-registry "$2"); shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown option $1 (see --help)" ;;
  esac
done

command -v dotnet >/dev/null 2>&1 || fail "dotnet is needed: install the .NET 10 SDK (https://dot.net), then run ./install.sh again"
dotnet --list-sdks | grep -q '^10\.' || fail "the .NET 10 SDK is needed; found: $(dotnet --list-sdks | tr '\n' ' ')"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host=linux-x64 ;;
  Linux-aarch64|Linux-arm64) host=linux-arm64 ;;
  Darwin-arm64) host=osx-arm64 ;;
  Darwin-x86_64) host=osx-x64 ;;
  *) host="$(uname -s)-$(uname -m)" ;;
esac
rid="${rid:-$host}"
case "$rid" in   # where both sqlite-vec and ONNX Runtime ship prebuilt (ONNX Runtime 1.31 has no Intel Mac build)
  linux-x64|linux-arm64|osx-arm64|win-x64) ;;
  *) fail "localmem runs on linux-x64, linux-arm64, osx-arm64 and win-x64 (prebuilt sqlite-vec and ONNX Runtime); not on $rid" ;;
esac
if [ "$rid" != "$host" ]; then
  [ -n "$bundle" ] || fail "--rid $rid is another platform: it can only be bundled (add --bundle FILE) and installed there"
  [ "$aot" = 0 ] || echo "note: Native AOT cannot cross-compile from $host to $rid; publishing ReadyToRun" >&2
  aot=0
fi
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' src/LocalMemory.Cli/Packaging.props)
name="localmem-$version-$rid"

echo "==> assets ($rid, models: $models)"
scripts/fetch-assets.sh --models "$models" --rid "$rid" ${registry[@]+"${registry[@]}"}

work="$(mktemp -d -t localmem-install-XXXXXX)"
trap 'rm -rf "$work"' EXIT
out="$work/$name"
publish() {
  dotnet publish src/LocalMemory.Cli/LocalMemory.Cli.csproj -c Release -r "$rid" -o "$out/lib" -v quiet -nologo \
    -p:LocalmemModels="${models//,/%2C}" "$@"   # %2C: a bare comma would end the property
}
linker=()
if [ "$aot" = 1 ]; then
  if command -v clang >/dev/null 2>&1; then :
  elif command -v gcc >/dev/null 2>&1; then linker=(-p:CppCompilerAndLinker=gcc)
  else echo "note: no C toolchain (clang or gcc) for Native AOT; publishing ReadyToRun (slower start-up)" >&2; aot=0
  fi
fi
built=0
if [ "$aot" = 1 ]; then
  echo "==> publishing localmem $version (Native AOT, $rid)"
  if publish ${linker[@]+"${linker[@]}"}; then built=1
  else echo "note: the Native AOT build failed (see above); publishing ReadyToRun instead (slower start-up)" >&2; rm -rf "$out/lib"
  fi
fi
if [ "$built" = 0 ]; then
  echo "==> publishing localmem $version (ReadyToRun, $rid)"
  publish -p:PublishAot=false --self-contained -p:PublishReadyToRun=true
fi

cp scripts/bundle/install.sh scripts/bundle/install.ps1 "$out/"
(cd "$out" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$f"; else shasum -a 256 "$f"; fi
done > SHA256SUMS)

if [ -n "$bundle" ]; then
  mkdir -p "$(dirname "$bundle")"
  tar -czf "$bundle" -C "$work" "$name"
  echo
  echo "bundle written: $bundle ($(du -h "$bundle" | cut -f1), $rid, models: $models)"
  echo "on the other machine: tar -xzf $(basename "$bundle") && ./$name/install.sh [--prefix DIR]   # Windows: ./$name/install.ps1"
  exit 0
fi
"$out/install.sh" --prefix "$prefix"
