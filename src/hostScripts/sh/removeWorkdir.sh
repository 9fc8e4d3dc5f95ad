#!/usr/bin/env bash
# Removes SkyCompute's workdir, if skymount made it (its marker is there).

# Given: dir (the workdir).
: "${dir?}"
set -euo pipefail

if [ -f "$dir.skymount" ]; then rm -rf "$dir" "$dir.skymount"; fi
