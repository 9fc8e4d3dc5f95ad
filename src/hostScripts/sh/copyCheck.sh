#!/usr/bin/env bash
# Checks a COPY volume's snapshot: its directory, and the fingerprint the copy recorded beside it.

# Given: dir (the copy), spec (its fingerprint before its owner); mountSpec.sh's owner_ids.
: "${dir?}" "${spec?}"
set -euo pipefail

# The owner is resolved as the copy script resolved it.
spec="$spec owner=$(owner_ids)"

if [ ! -d "$dir" ]; then drift "the copy $dir is missing"
elif [ "$(cat "$dir.spec" 2>/dev/null)" != "$spec" ]; then drift "the copy $dir is not the recorded one ($dir.spec differs)"
fi
verdict "copy $dir: as made"
