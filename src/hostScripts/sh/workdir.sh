#!/usr/bin/env bash
# Unpacks the base64 tar.gz on stdin into SkyCompute's workdir, marked with the archive's hash.
# Replaces only a workdir skymount made.

# Given: dir (the workdir), archive (the archive's sha256).
: "${dir?}" "${archive?}"
set -euo pipefail

marker="$dir.skymount"
fail() { echo "skymount: $*" >&2; exit 1; }
if [ -d "$dir" ] && [ ! -f "$marker" ] && [ -n "$(ls -A "$dir")" ]; then
  fail "$dir is a non-empty directory skymount did not make; skymount never wipes data: move it away"
fi
rm -rf "$dir.new" && mkdir -p "$dir.new"
base64 -d | tar -xz -C "$dir.new"
rm -rf "$dir" && mv "$dir.new" "$dir"
echo "$archive" > "$marker"
echo "workdir: $(find "$dir" -type f | wc -l) files in $dir"
