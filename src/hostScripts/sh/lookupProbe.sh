# shellcheck shell=bash
# The supervisor's lookup probe (hostScripts/lookupProbe.ts). The supervisor's 2-second check stats a
# mount's root, which geesefs answers from memory: a geesefs whose requests to its store hang passes
# it. Seen after a reboot: every listing and lookup of a volume waited for minutes in geesefs's read
# retries (each request up to its 30 s --http-timeout) while the same bucket listed fine through
# other mounts, and a restart of the mount fixed it at once. So, every lookup_interval_seconds and in
# the background (the 2-second checks never wait for it), the supervisor looks up a name nobody ever
# used under the mount's root: geesefs must ask its store, and answers "No such file or directory".
# Given: lookup_interval_seconds, lookup_seconds (how long a lookup may take: three of geesefs's HTTP
# timeouts), confirm_seconds (the second lookup's), store_seconds (how long the store may take to
# answer the supervisor's own request). Needs say (the supervisor's log) and the run loop's arrays
# lookups and next_lookup.
: "${lookup_interval_seconds?}" "${lookup_seconds?}" "${confirm_seconds?}" "${store_seconds?}"

# lookup_answers DIR SECONDS: 0 when a lookup of a fresh name under DIR gets any answer within SECONDS.
lookup_answers() {
  local name rc
  # Random, so neither the kernel nor geesefs has it cached (both remember names they were asked
  # about). A stat creates nothing, so read-only and MOUNT_CACHED mounts are probed the same way.
  name=.skymount-lookup-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
  # In a command substitution: run straight in the probe's background shell, a lookup killed at its
  # timeout made that shell write "Killed" into the supervisor's log.
  rc=$(timeout -s KILL "$2" stat --cached=never -c %i -- "$1/$name" > /dev/null 2>&1; echo $?)
  [ "$rc" -ne 137 ] && [ "$rc" -ne 124 ]
}

# store_answers ENDPOINT: prints the HTTP status the store answers a bare request with, or returns 1
# when it does not answer within store_seconds (stopped, or the host's link to it down). Any status
# counts: the request carries no keys, and a refusal (403) is an answer.
store_answers() {
  local status
  status=$(curl -ks -o /dev/null -m "$store_seconds" -w '%{http_code}' "$1" 2>/dev/null)
  [ -n "$status" ] && [ "$status" != 000 ] || return 1
  echo "$status"
}

# lookup_probe DIR ENDPOINT: 0 the mount answers lookups, 1 it does not but neither does its store,
# 2 stuck: its lookups hang while its store answers.
lookup_probe() {
  local dir=$1 endpoint=$2 status mounted
  # Which FUSE mount is judged (its device): an `up` may remount it meanwhile, and the new mount's
  # geesefs must not be killed for the old one's hang.
  mounted=$(timeout -s KILL 3 mountpoint -d -- "$dir" 2>/dev/null)
  lookup_answers "$dir" "$lookup_seconds" && return 0
  # A store that is down (or a link cut) hangs every geesefs that asks it: killing one would lose
  # what it has not uploaded, and it answers again once its store is back.
  if ! status=$(store_answers "$endpoint"); then
    say "$dir: a lookup under it did not answer in $lookup_seconds s, nor did its store $endpoint: left alone"
    return 1
  fi
  # The store answers now, but may have been back only a moment: a geesefs that waited out an outage
  # in its read retries (up to a minute apart) still starts a new lookup at once, so a second fresh
  # name must answer too.
  lookup_answers "$dir" "$confirm_seconds" && return 0
  if ! status=$(store_answers "$endpoint"); then
    say "$dir: lookups under it did not answer, nor did its store $endpoint at the end: left alone"
    return 1
  fi
  [ "$(timeout -s KILL 3 mountpoint -d -- "$dir" 2>/dev/null)" = "$mounted" ] || return 0
  say "$dir: stuck: lookups under it did not answer in $lookup_seconds s, then $confirm_seconds s, while its store $endpoint answered (HTTP $status)"
  return 2
}

# lookup_verdict ID DIR ENDPOINT: the mount's last lookup probe's verdict once it finished (as
# lookup_probe's), else 0; starts the next probe when it is due. One lookup per mount per interval.
lookup_verdict() {
  local id=$1 pid=${lookups[$1]:-} rc now
  if [ -n "$pid" ]; then
    # Still running: among this shell's running jobs (a pid alone may have been reused since).
    if jobs -rp | grep -qx "$pid"; then return 0; fi
    wait "$pid"; rc=$?
    unset "lookups[$id]"
    # A stuck mount is healed first; the next probe starts at a later check.
    [ "$rc" -eq 0 ] || return "$rc"
  fi
  now=$(date +%s)
  [ "$now" -ge "${next_lookup[$id]:-0}" ] || return 0
  # shellcheck disable=SC2004 # an associative array's key (declared by the run loop), not arithmetic
  next_lookup[$id]=$((now + lookup_interval_seconds))
  # Without the supervisor's lock (9): a `stop` must not wait for a probe to end.
  lookup_probe "$2" "$3" 9>&- &
  # shellcheck disable=SC2004 # as above
  lookups[$id]=$!
  return 0
}
