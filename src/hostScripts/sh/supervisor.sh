#!/usr/bin/env bash
# skymount-supervisor: heals skymount's FUSE mounts whose geesefs died or hangs, and their bind mounts.
#   skymount-supervisor start     start it unless it runs (what the install, mount and boot do)
#   skymount-supervisor status    the running supervisor's pid and what it supervises
#   skymount-supervisor stop      stop it (until the next mount or boot starts it again)
#   skymount-supervisor rebind D  re-make the bind mounts into the FUSE mount D
#   skymount-supervisor settle D  wait until D answers, then rebind (systemd's ExecStartPost)
#   skymount-supervisor run [forever]  the loop itself (forever: under systemd, never idles out)
# A mount whose root answers is also probed every 30 s with a lookup its geesefs must ask its store
# about (lookupProbe.sh): one whose lookups hang while its store answers is healed too.
# It heals only mounts listed in the supervised directory that are still in the mount table:
# `umount` a mount to stop it for good. Every heal is logged with its reason and duration.
# (Rendered by hostScripts/supervisor.ts, which says where it runs and why.)

# Given: supervised (the directory listing the mounts it heals, one file each), log, lock (held by
# the running supervisor), heal_lock (held while a mount is healed, and by the unmount script while
# it takes a mount off the list), units (systemd's unit directory), idle_checks (checks with nothing
# to supervise after which a supervisor not run `forever` stops).
: "${supervised?}" "${log?}" "${lock?}" "${heal_lock?}" "${units?}" "${idle_checks?}"
set -uo pipefail

# Seconds between two checks of every supervised mount.
check_interval_seconds=2
# How long a mount's root may take to answer a stat before the check counts it as hung. geesefs
# answers it from memory, without asking the bucket, so a slow or unreachable store does not look hung.
probe_seconds=3
# Checks in a row that must find a mount dead before it is healed (a debounce of one interval).
dead_checks=2
# Checks in a row that must find a mount hung: killing a geesefs that is only slow loses what it
# has not uploaded yet, so a hang must last about 15 s.
hung_checks=3
# How long a mount's service waits for its geesefs to answer.
settle_seconds=30
# MOUNT_CACHED: a cache file system this full is reported (once, until it has room again).
cache_full_percent=98

say() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >> "$log"; }

# probe DIR: 0 answers, 1 dead (its geesefs is gone), 2 hung (no answer in time), 3 not mounted.
probe() {
  local err rc
  is_mounted "$1" || return 3
  err=$(timeout -s KILL "$probe_seconds" stat --cached=never -c %i -- "$1" 2>&1 > /dev/null 9>&-); rc=$?
  [ "$rc" -eq 0 ] && return 0
  { [ "$rc" -eq 137 ] || [ "$rc" -eq 124 ]; } && return 2
  case "$err" in *"not connected"*) return 1 ;; esac
  # Any other answer (permission denied, say) comes from a live geesefs: not ours to heal.
  return 0
}

# heal ID DIR WHY [stuck]: remounts DIR and re-makes the bind mounts into it. A mount the lookup
# probe found stuck is healed although its root still answers a stat (from geesefs's memory).
heal() {
  local id=$1 dir=$2 why=$3 stuck=${4:-} started binds pids rc out took
  started=$(date +%s%N)
  exec 8> "$heal_lock"
  flock -w 60 8 || { say "$dir: no heal lock after 60 s"; return 1; }
  # Destroy may have taken the mount off the list, or a user unmounted it, since the check.
  if [ ! -f "$supervised/$id" ]; then exec 8>&-; return 0; fi
  probe "$dir"; rc=$?
  if [ "$rc" -eq 3 ] || { [ "$rc" -eq 0 ] && [ -z "$stuck" ]; }; then exec 8>&-; return 0; fi
  binds=$(mounted_binds_into "$dir")
  pids=$(geesefs_pids "$dir")
  # shellcheck disable=SC2086 # one pid a word
  if [ -n "$pids" ]; then kill -9 $pids 2>/dev/null || true; fi
  if [ -f "$units/skymount-$id.service" ] && [ -d /run/systemd/system ]; then
    # The service's ExecStopPost drops the dead mount, its ExecStartPost re-makes the binds.
    out=$(systemctl restart "skymount-$id.service" 2>&1 8>&-); rc=$?
  else
    # The binds stay (stale, answering with errors) until the new mount is there, then each is
    # re-made at once: a bind left unmounted meanwhile would let writes land in the directory under it.
    umount -l "$dir" 2>/dev/null || true
    # The new geesefs must not inherit the supervisor's lock descriptors (8, 9): a daemon holding
    # them would keep the heal lock (and the one-instance lock) taken for as long as it runs.
    # Its output goes to a file: a daemon holding a command substitution's pipe would block it.
    fstab_reading timeout 60 mount "$dir" < /dev/null > "$log.mount" 2>&1 8>&-; rc=$?
    out=$(cat "$log.mount"); rm -f "$log.mount"
    # shellcheck disable=SC2086 # one bind mount's path a word
    if [ "$rc" -eq 0 ]; then out=$(rebind $binds 2>&1); fi
  fi
  exec 8>&-
  took=$(( ($(date +%s%N) - started) / 1000000 ))
  if [ "$rc" -eq 0 ] && probe "$dir"; then
    # shellcheck disable=SC2086,SC2116 # $(echo $binds): the paths on one line
    say "healed $dir ($why): remounted in ${took} ms${binds:+; bind mounts re-made: $(echo $binds)}${out:+; $out}"
    return 0
  fi
  # shellcheck disable=SC2086 # $(echo $out): the output on one line
  say "could not heal $dir ($why), retrying: $(echo $out | tail -c 500)"
  return 1
}

# check_cache ID DIR CACHE: MOUNT_CACHED: geesefs goes on serving reads from the bucket when its
# cache file system is full, and says nothing: this is the line that says it.
check_cache() {
  local id=$1 dir=$2 cache=$3 used
  used=$(df --output=pcent "$cache" 2>/dev/null | tail -n 1 | tr -dc 0-9)
  [ -n "$used" ] || return 0
  if [ "$used" -ge "$cache_full_percent" ]; then
    [ -n "${full[$id]:-}" ] && return 0
    full[$id]=1
    say "cache of $dir is full ($cache: ${used}% used, $(df -h --output=avail "$cache" | tail -n 1 | tr -d " ") free): geesefs serves reads from the bucket without caching them until it has room"
  elif [ -n "${full[$id]:-}" ]; then
    unset "full[$id]"
    say "cache of $dir has room again ($cache: ${used}% used)"
  fi
}

# run [forever]: the loop.
run() {
  local forever=${1:-}
  exec 9> "$lock"
  # Waits a moment rather than giving up at once: `status` and `start` take the lock for an
  # instant to see whether a supervisor runs, and a supervisor starting just then stopped
  # silently (seen in the unit test under load), leaving the host unsupervised.
  flock -w 2 9 || exit 0
  echo "$$" > "$lock.pid"
  say "started (pid $$)"
  # fails: checks in a row that found a mount dead or hung; full: caches reported full; wait: when
  # a mount whose heal failed is tried again; lookups, next_lookup: each mount's lookup probe running
  # in the background (its pid) and when the next one is due (both kept by lookup_verdict).
  # shellcheck disable=SC2034 # lookups and next_lookup: used by lookup_verdict (lookupProbe.sh)
  declare -A fails=() full=() wait=() lookups=() next_lookup=()
  local idle=0 f id dir cache endpoint rc need now why any
  while :; do
    any=0
    for f in "$supervised"/*; do
      [ -f "$f" ] || continue
      any=1
      id=${f##*/}; dir=$(sed -n 1p "$f"); cache=$(sed -n "s/^cache=//p" "$f"); endpoint=$(sed -n "s/^endpoint=//p" "$f")
      [ -n "$dir" ] || continue
      if [ -n "$cache" ]; then check_cache "$id" "$dir" "$cache"; fi
      probe "$dir"; rc=$?
      if [ "$rc" -eq 0 ]; then
        fails[$id]=0
        lookup_verdict "$id" "$dir" "$endpoint"; rc=$?
        # The lookup probe found it stuck while its store answers: healed as a hung mount is.
        if [ "$rc" -eq 2 ]; then heal "$id" "$dir" "lookups under it hang while its store $endpoint answers" stuck; fi
        continue
      fi
      if [ "$rc" -eq 3 ]; then fails[$id]=0; continue; fi
      fails[$id]=$(( ${fails[$id]:-0} + 1 ))
      if [ "$rc" -eq 1 ]; then need=$dead_checks; else need=$hung_checks; fi
      [ "${fails[$id]}" -ge "$need" ] || continue
      now=$(date +%s)
      # After a failed heal (the store unreachable, say), retry every 10 s, not every check.
      [ "$now" -ge "${wait[$id]:-0}" ] || continue
      if [ "$rc" -eq 1 ]; then why="geesefs died: Transport endpoint is not connected"; else why="geesefs did not answer for ${fails[$id]} checks"; fi
      if heal "$id" "$dir" "$why"; then fails[$id]=0; unset "wait[$id]"; else wait[$id]=$((now + 10)); fi
    done
    if [ "$any" -eq 1 ]; then idle=0; else idle=$((idle + 1)); fi
    if [ "$forever" != forever ] && [ "$idle" -ge "$idle_checks" ]; then
      # A mount script may add a mount and find this instance still holding the lock: look again
      # once the lock is released, and carry on if something arrived.
      exec 9>&-
      if [ -z "$(ls -A "$supervised" 2>/dev/null)" ]; then say "nothing to supervise: stopped"; exit 0; fi
      exec 9> "$lock"; flock -w 2 9 || exit 0
      idle=0
    fi
    sleep "$check_interval_seconds" 9>&-
  done
}

case "${1:-}" in
  start)
    mkdir -p "$supervised" "$(dirname "$log")"
    flock -n "$lock" true || exit 0
    # Detached from whoever started it (an SSH session, mount(8) at boot): its own session, no
    # inherited descriptors, so it holds no pipe open.
    setsid -f "$0" run < /dev/null >> "$log" 2>&1 || exit 1
    ;;
  run)
    # shellcheck disable=SC2045 # file descriptors' numbers: nothing for a glob to get wrong
    for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done
    mkdir -p "$supervised"
    run "${2:-}"
    ;;
  status)
    if flock -n "$lock" true; then echo "not running"; else echo "running: $(cat "$lock.pid" 2>/dev/null)"; fi
    for f in "$supervised"/*; do [ -f "$f" ] && echo "supervises $(sed -n 1p "$f")"; done
    exit 0
    ;;
  stop)
    # shellcheck disable=SC2086 # $pid: the pids fuser names, one a word
    if ! flock -n "$lock" true; then pid=$(cat "$lock.pid" 2>/dev/null || fuser "$lock" 2>/dev/null | xargs); kill $pid 2>/dev/null; say "stopped by request (pid $pid)"; fi
    # Gone (its lock free) before this returns: a `start` right after must not find it still there.
    flock -w 10 "$lock" true || { echo "skymount: the supervisor did not stop" >&2; exit 1; }
    ;;
  rebind)
    # shellcheck disable=SC2046 # one bind mount's path a word
    rebind $(mounted_binds_into "$2")
    ;;
  # systemd's ExecStartPost: the service is started once its mount answers.
  settle)
    for _ in $(seq $((settle_seconds * 4))); do probe "$2" && break; sleep 0.25; done
    probe "$2" || { echo "skymount: $2 did not answer within $settle_seconds s" >&2; exit 1; }
    # shellcheck disable=SC2046 # one bind mount's path a word
    rebind $(mounted_binds_into "$2")
    ;;
  *)
    echo "usage: $0 start|status|stop|run [forever]|rebind <dir>|settle <dir>" >&2
    exit 2
    ;;
esac
