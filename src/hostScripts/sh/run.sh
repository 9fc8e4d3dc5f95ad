#!/usr/bin/env bash
# Starts SkyCompute's `run` detached (a training job outlives `pulumi up`), logging to a file, in a
# session and process group of its own (setsid), so that a rerun or a delete stops it and every
# child it forked. The group's number is recorded by the job's first process itself (as session
# leader its pid is the group's), before the user's command runs. A run already going is stopped
# first.

# Given: run (the user's command), log, workdir, and depends_on: what the run restarts after,
# here only so that the script changes with it; and runGroup.sh's pgid_file, pid_file and group_variable.
: "${run?}" "${log?}" "${workdir?}" "${depends_on?}" "${pgid_file?}" "${pid_file?}" "${group_variable?}"
set -euo pipefail

fail() { echo "skymount: $*" >&2; exit 1; }
mkdir -p "$(dirname "$pid_file")" "$(dirname "$log")" "$workdir"
stop_run
cd "$workdir"
# $1: where to record the group; then the command to become (`exec` keeps the leader's pid).
# shellcheck disable=SC2016 # the inner script's $$, $1 and $@ are its own
setsid nohup bash -c 'echo "$$" > "$1.new" && mv -f "$1.new" "$1" && export "$2=$$" && shift 2 && exec "$@"' \
  skymount-run "$pgid_file" "$group_variable" bash -c "$run" < /dev/null > "$log" 2>&1 &
for _ in $(seq 50); do [ -s "$pgid_file" ] && break; sleep 0.1; done
[ -s "$pgid_file" ] || fail "run did not start"
cp "$pgid_file" "$pid_file"
echo "run started (process group $(cat "$pgid_file")), logging to $log"
