#!/usr/bin/env bash
# Checks a bucket's FUSE mount as the mount script made it: mounted and listable, its fstab entry (or
# on systemd hosts its unit), its key file and fingerprint as recorded, its cache mounted.

# Given: as the mount script: id, bucket, dir, creds, spec_file, fstab_line, unit, unit_file,
# has_credentials, cached, cache_mb, cache_dir; and checkFunctions.sh's probe_seconds.
: "${probe_seconds?}" "${id?}" "${bucket?}" "${dir?}" "${creds?}" "${spec_file?}" "${fstab_line?}" "${unit?}" "${unit_file?}"
: "${has_credentials?}" "${cached?}" "${cache_mb?}" "${cache_dir?}"
set -euo pipefail

# The owner and the host's init are resolved as the mount script resolved them.
fstab_line=$(owned "$fstab_line")
systemd=; if [ -d /run/systemd/system ]; then systemd=1; fi
# A killed geesefs leaves a mount whose stat fails (ENOTCONN): mountpoint(1) says no.
if ! timeout "$probe_seconds" mountpoint -q "$dir" 2>/dev/null; then
  drift "bucket $bucket is not mounted at $dir (or its geesefs is gone)"
elif ! { timeout "$probe_seconds" ls -f -- "$dir" 2>/dev/null || [ $? = 141 ]; } | head -n 1 > /dev/null; then
  drift "bucket $bucket at $dir does not list within $probe_seconds s"
fi
if [ -n "$systemd" ]; then
  # Its unit is what boot starts: missing, or disabled (no WantedBy link), a reboot leaves it unmounted.
  if [ ! -f "$unit_file" ]; then
    drift "$unit_file is missing (a reboot would not remount $dir)"
  elif ! systemctl is-enabled --quiet "$unit" 2>/dev/null; then
    drift "$unit is not enabled (a reboot would not remount $dir)"
  fi
elif [ "$(fstab_entry "$id")" != "$fstab_line" ]; then
  drift "/etc/fstab: the entry for $dir is missing or changed (a reboot would not remount it)"
fi
if [ -z "$has_credentials" ]; then
  creds_hash=none
elif [ -s "$creds" ]; then
  creds_hash=$(sha256sum < "$creds" | cut -d' ' -f1)
else
  creds_hash=missing; drift "key file $creds is missing"
fi
spec=$(mount_spec "$fstab_line" "$creds_hash" "$cached" "$cache_mb" "$systemd")
[ "$(cat "$spec_file" 2>/dev/null)" = "$spec" ] || drift "the key file or the mount record ($spec_file) differs from what was mounted"
if [ -n "$cached" ]; then
  timeout "$probe_seconds" mountpoint -q "$cache_dir" 2>/dev/null || drift "the disk cache of $bucket is not mounted at $cache_dir"
fi
verdict "bucket $bucket: mounted at $dir, as made"
