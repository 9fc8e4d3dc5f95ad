#!/usr/bin/env bash
# Checks SkyCompute's workdir: the directory and the marker naming the archive it was unpacked from.
# (Its files may change: jobs write there.)

# Given: dir (the workdir), archive (the archive's sha256).
: "${dir?}" "${archive?}"
set -euo pipefail

if [ ! -d "$dir" ]; then drift "the workdir $dir is missing"
elif [ "$(cat "$dir.skymount" 2>/dev/null)" != "$archive" ]; then drift "the workdir $dir was not unpacked from this archive"
fi
verdict "workdir $dir: as made"
