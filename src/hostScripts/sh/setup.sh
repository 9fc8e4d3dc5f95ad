#!/usr/bin/env bash
# Runs SkyCompute's `setup` in the workdir, in the foreground: `pulumi up` waits for it and fails
# with it.

# Given: workdir, setup (the user's command), and depends_on: what the setup reruns after (the
# workdir's hash), here only so that the script changes with it.
: "${workdir?}" "${setup?}" "${depends_on?}"
set -euo pipefail

mkdir -p "$workdir" && cd "$workdir"
bash -euo pipefail -c "$setup"
