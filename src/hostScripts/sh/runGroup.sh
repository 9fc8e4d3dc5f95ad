# shellcheck shell=bash
# stop_run: stops the recorded `run` as a process group (the job and every child it forked), TERM
# first, KILL after the grace period, and waits until the group is gone.
# Given: pgid_file (the group's number, recorded by the run itself), pid_file, grace_seconds (between
# SIGTERM and SIGKILL), group_variable: the mark every process of a run carries (inherited by its
# children), so that a stop only signals a group that has it, never a group that merely reuses a
# recorded number after a reboot.
: "${pgid_file?}" "${pid_file?}" "${grace_seconds?}" "${group_variable?}"

# run_members PGID: members of the group that carry the run's mark. A zombie (killed, not yet reaped
# by whatever adopted it) has no environment to read, so it does not count: it runs nothing.
run_members() {
  local p; for p in $(pgrep -g "$1" 2>/dev/null); do
    tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "$group_variable=$1" && echo "$p"
  done; return 0
}

stop_run() {
  local pgid; pgid=$(cat "$pgid_file" 2>/dev/null || true)
  if [ -n "$pgid" ] && [ -n "$(run_members "$pgid")" ]; then
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in $(seq $((grace_seconds * 5))); do [ -n "$(run_members "$pgid")" ] || break; sleep 0.2; done
    if [ -n "$(run_members "$pgid")" ]; then
      echo "run (process group $pgid) still running $grace_seconds s after SIGTERM: SIGKILL"
      kill -KILL -- "-$pgid" 2>/dev/null || true
      for _ in $(seq 25); do [ -n "$(run_members "$pgid")" ] || break; sleep 0.2; done
    fi
    echo "run (process group $pgid) stopped"
  fi
  rm -f "$pgid_file" "$pid_file"
}
