#!/bin/sh
# Installs localmem from this bundle with no network (Linux, macOS):
#   1. checks every file against its sha256 in SHA256SUMS, and that nothing else is in the bundle,
#   2. copies the program, the model and the sqlite-vec extension into PREFIX/lib/localmem and links
#      PREFIX/bin/localmem to it,
#   3. runs `localmem doctor`.
# Needs only sh, sha256sum (or shasum) and the usual file tools. Running it again replaces the install.
# Usage: ./install.sh [--prefix DIR (default ~/.local)]
set -eu
prefix="$HOME/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "error: --prefix needs a directory" >&2; exit 1; }; prefix="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 1 ;;
  esac
done
cd "$(dirname "$0")"
fail() { echo "error: $1" >&2; exit 1; }
[ -f SHA256SUMS ] || fail "SHA256SUMS is missing from $(pwd): this is not a whole localmem bundle; copy the archive again and unpack it"
if command -v sha256sum >/dev/null 2>&1; then sha() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then sha() { shasum -a 256 "$1" | cut -d' ' -f1; }
else fail "sha256sum or shasum is needed to check the bundle"
fi

echo "==> checking $(wc -l < SHA256SUMS | tr -d ' ') files against SHA256SUMS"
listed=$(mktemp)
trap 'rm -f "$listed"' EXIT
while read -r sum path; do
  [ -f "$path" ] || fail "$path is missing from the bundle; copy the archive again and unpack it"
  [ "$(sha "$path")" = "$sum" ] || fail "$path does not match its sha256 in SHA256SUMS (corrupt or changed); copy the archive again"
  echo "$path" >> "$listed"
done < SHA256SUMS
LC_ALL=C sort -o "$listed" "$listed"
extra=$(find . -type f ! -path ./SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | comm -23 - "$listed")
[ -z "$extra" ] || fail "the bundle holds files that SHA256SUMS does not list: $(echo "$extra" | tr '\n' ' ')(added after it was made); copy the archive again"

lib="$prefix/lib/localmem"
staging="$prefix/lib/.localmem-staging"   # the old install stays until the new one is in place
echo "==> installing into $lib"
rm -rf "$staging"
mkdir -p "$staging" "$prefix/bin"
cp -R lib/. "$staging/"
chmod +x "$staging/localmem"
rm -rf "$lib"
mv "$staging" "$lib"
ln -sfn "$lib/localmem" "$prefix/bin/localmem"

echo "==> localmem doctor"
"$prefix/bin/localmem" doctor
echo
echo "localmem is installed: $prefix/bin/localmem"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on PATH; add it, e.g.: echo 'export PATH=\"$prefix/bin:\$PATH\"' >> ~/.bashrc" ;;
esac
echo "next: localmem setup codex|claude|cursor; localmem add \"Postgres is the primary database\"; localmem search \"which database?\""
