#!/usr/bin/env bash
# Checks a COPY volume's snapshot: its directory, and the fingerprint the copy recorded beside it.

# Given: dir (the copy), spec (its fingerprint).
: "${dir?}" "${spec?}"
set -euo pipefail

if [ ! -d "$dir" ]; then drift "the copy $dir is missing"
elif [ "$(cat "$dir.spec" 2>/dev/null)" != "$spec" ]; then drift "the copy $dir is not the recorded one ($dir.spec differs)"
fi
verdict "copy $dir: as made"
