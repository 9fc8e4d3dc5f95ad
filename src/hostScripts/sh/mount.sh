#!/usr/bin/env bash
# Mounts a bucket with geesefs for one holder (a stack's SkyVolume). The mount goes through
# /etc/fstab, mount(8) and skymount's mount helper, exactly as boot will remount it (on systemd
# hosts through a service of its own), and is checked by a probe: FUSE mounters can exit 0 with
# nothing usable mounted. Its keys arrive on stdin. A mount whose fingerprint is unchanged and that
# answers is left alone; a changed one is remounted, draining the old geesefs first.

# Given: the mount's id, bucket, dir, creds (its key file), log_file, spec_file (its fingerprint),
# specs_dir, log_dir, supervised_dir, supervised_file (the supervisor's entry), supervisor,
# holders (the directory of its holders), holder_file, holder_description and holder_group, fstab_line, unit,
# unit_file and unit_text (its systemd service), heal_lock, has_credentials (1: keys on stdin),
# cached (1: MOUNT_CACHED), cache_mb, cache_dir and cache_img (the cache's file system), wrapper_path
# and wrapper_text (the wrapper mount(8) runs, or empty), endpoint (the store's, which the
# supervisor asks whether it answers before it counts a mount whose lookups hang as stuck).
: "${id?}" "${bucket?}" "${dir?}" "${creds?}" "${log_file?}" "${spec_file?}" "${specs_dir?}" "${log_dir?}"
: "${supervised_dir?}" "${supervised_file?}" "${supervisor?}" "${holders?}" "${holder_file?}" "${holder_description?}" "${holder_group?}"
: "${fstab_line?}" "${unit?}" "${unit_file?}" "${unit_text?}" "${heal_lock?}" "${has_credentials?}"
: "${cached?}" "${cache_mb?}" "${cache_dir?}" "${cache_img?}" "${wrapper_path?}" "${wrapper_text?}" "${endpoint?}"
set -euo pipefail

mkdir -p "$specs_dir" "$log_dir" "$(dirname "$creds")" "$holders" "$supervised_dir"
chmod 0700 "$(dirname "$creds")"
fstab_line=$(owned "$fstab_line")
unit_text=$(owned "$unit_text")
# systemd hosts run each mount as a service (systemdUnits.ts); the others through fstab.
systemd=; if [ -d /run/systemd/system ]; then systemd=1; fi
# Credentials come on stdin: never on a command line, in the environment or in a log.
if [ -n "$has_credentials" ]; then
  umask 077
  new_creds=$(mktemp "$creds.XXXXXX")
  trap 'rm -f "$new_creds"' EXIT
  cat > "$new_creds"
  [ -s "$new_creds" ] || fail "no credentials for bucket $bucket arrived on stdin"
  creds_hash=$(sha256sum < "$new_creds" | cut -d' ' -f1)
else
  cat > /dev/null
  creds_hash=none
fi
spec=$(mount_spec "$fstab_line" "$creds_hash" "$cached" "$cache_mb" "$systemd")
# One FUSE mount, one set of options: another stack's holder that asked for others is never overruled.
agree_with_holders "$holders" "$holder_file" "$holder_group" "$spec" "bucket $bucket at $dir"
# Held before the mount is touched: another holder's destroy, running now, then keeps the mount.
printf '%s\n%s\n%s\n' "$holder_description" "$holder_group" "$spec" > "$holder_file"

# The mount answers: its root's first entries only (`ls -f` dies of SIGPIPE once head has a line), so
# a bucket with 100,000 objects at its root is not listed in full within the probe's 20 s.
healthy() {
  mountpoint -q "$dir" && { timeout 20 ls -f -- "$dir" 2>/dev/null || [ $? = 141 ]; } | head -n 1 > /dev/null &&
    { [ -z "$cached" ] || mountpoint -q "$cache_dir"; }
}
# On the supervisor's list (what it heals), and the supervisor running (without systemd, which runs
# it as a service of its own).
supervise() {
  { echo "$dir"; if [ -n "$cached" ]; then echo "cache=$cache_dir"; fi; echo "endpoint=$endpoint"; } > "$supervised_file"
  if [ -x "$supervisor" ] && [ ! -d /run/systemd/system ]; then "$supervisor" start || true; fi
}

# What boot starts it from: its unit (written and enabled) on systemd hosts, else its fstab entry.
boot_entry() {
  if [ -n "$systemd" ]; then
    if [ "$(cat "$unit_file" 2>/dev/null)" != "$unit_text" ]; then
      printf '%s\n' "$unit_text" > "$unit_file"
      systemctl daemon-reload
    fi
    systemctl is-enabled --quiet "$unit" 2>/dev/null || systemctl enable "$unit" > /dev/null 2>&1
  else
    fstab_set "$id" "$fstab_line" "x-systemd.requires-mounts-for=$dir"
  fi
}

if healthy && [ "$(cat "$spec_file" 2>/dev/null)" = "$spec" ]; then
  # Its fstab entry or unit may have been removed (or the unit disabled) out of band, which refresh
  # reports: put it back, leaving the running geesefs alone.
  boot_entry
  supervise
  echo "bucket $bucket: mounted at $dir (unchanged)"
  exit 0
fi
# Off the list while this script unmounts and mounts: the supervisor must not remount it meanwhile.
exec 8> "$heal_lock"; flock -w 120 8 || fail "no heal lock after 120 s"; rm -f "$supervised_file"; exec 8>&-
# The bind mounts into the old mount hold it (and its geesefs, with the old keys) alive: they
# go first and are re-made into the new one.
binds=$(mounted_binds_into "$dir")
for t in $binds; do release "$t"; done
# shellcheck disable=SC2086 # one bind mount's path a word
placeholder $binds
if [ -f "$unit_file" ] && [ -n "$systemd" ]; then systemctl stop "$unit" || true; fi
drain_unmount "$dir"

# MOUNT_CACHED: geesefs's disk cache lives on a file system of exactly the asked size (a sparse
# ext4 image on a loop device), since geesefs itself has no size limit. Its fstab entry comes
# before the bucket's, so boot mounts the cache first.
if [ -n "$cached" ]; then
  unmount "$cache_dir"
  mkdir -p "$cache_dir"
  if [ ! -f "$cache_img" ] || [ "$(stat -c %s "$cache_img")" != "$((cache_mb * 1024 * 1024))" ]; then
    rm -f "$cache_img"
    truncate -s "${cache_mb}M" "$cache_img"
    mkfs.ext4 -q -F -m 0 "$cache_img"
  fi
  fstab_set "cache:$id" "$cache_img $cache_dir ext4 loop,nofail 0 0"
  fstab_reading mount "$cache_dir"
  chmod 0700 "$cache_dir"
fi
if [ -n "$has_credentials" ]; then
  mv -f "$new_creds" "$creds"
  trap - EXIT
fi
if [ -n "$wrapper_path" ]; then
  printf '%s' "$wrapper_text" > "$wrapper_path"
  chmod 0700 "$wrapper_path"
fi
mkdir -p "$dir"
[ -z "$(ls -A "$dir")" ] || fail "$dir holds files while unmounted; skymount never wipes data: move them away"
if [ -n "$systemd" ]; then
  # The service mounts it; an fstab entry as well would have systemd mount it a second time.
  fstab_remove "$id"
  printf '%s\n' "$unit_text" > "$unit_file"
  systemctl daemon-reload
  systemctl enable "$unit" > /dev/null 2>&1
  if ! systemctl restart "$unit"; then
    journalctl -u "$unit" -n 20 --no-pager >&2 2>/dev/null || true; tail -n 20 "$log_file" >&2 2>/dev/null || true
    fail "mounting bucket $bucket at $dir failed"
  fi
  # shellcheck disable=SC2086 # one bind mount's path a word
  mount_jobs_done $binds
else
  fstab_set "$id" "$fstab_line" "x-systemd.requires-mounts-for=$dir"
  out=$(mktemp)
  # geesefs daemonizes; its stdio must not hold the SSH session's pipes open.
  if ! fstab_reading mount "$dir" < /dev/null > "$out" 2>&1; then
    cat "$out" >&2; tail -n 20 "$log_file" >&2 2>/dev/null || true
    fail "mounting bucket $bucket at $dir failed"
  fi
  rm -f "$out"
fi
healthy || { tail -n 20 "$log_file" >&2 2>/dev/null || true; fail "bucket $bucket mounted at $dir but does not answer (credentials, endpoint or bucket wrong?)"; }
# shellcheck disable=SC2086 # one bind mount's path a word
rebind $binds
echo "$spec" > "$spec_file"
supervise
echo "bucket $bucket: mounted at $dir"
