#!/usr/bin/env bash
# Lets go of a bucket's FUSE mount for one holder; the last one unmounts it (cleanly: geesefs
# uploads what it holds; a busy mount is detached lazily after a few seconds, with a warning naming
# its users) and removes what the mount script made: its key file, fingerprint, wrapper, unit, fstab
# entry, cache and mount point (only if empty).

# Given: as the mount script: id, bucket, dir, creds, spec_file, supervised_file, holders,
# holder_file, unit, unit_file, heal_lock, cached, cache_dir, cache_img, wrapper_path; and
# credentials_dir (the mount's own directory of keys, or empty).
: "${id?}" "${bucket?}" "${dir?}" "${creds?}" "${spec_file?}" "${supervised_file?}" "${holders?}" "${holder_file?}"
: "${unit?}" "${unit_file?}" "${heal_lock?}" "${cached?}" "${cache_dir?}" "${cache_img?}" "${wrapper_path?}" "${credentials_dir?}"
set -euo pipefail

exec 8> "$heal_lock"; flock -w 120 8 || fail "no heal lock after 120 s"
rm -f "$holder_file"
if [ -n "$(ls -A "$holders" 2>/dev/null)" ]; then
  echo "bucket $bucket: stays mounted at $dir for its other holders: $(head -qn 1 "$holders"/* | paste -sd, -)"
  exit 0
fi
rmdir "$holders" 2>/dev/null || true
# Off the supervisor's list before it is unmounted: it never remounts what destroy unmounts.
rm -f "$supervised_file"
exec 8>&-
if [ -f "$unit_file" ]; then
  if [ -d /run/systemd/system ]; then systemctl disable --now "$unit" > /dev/null 2>&1 || true; fi
  rm -f "$unit_file"
  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
fi
drain_unmount "$dir"
fstab_remove "$id"
rm -f "$creds" "$spec_file"
if [ -n "$wrapper_path" ]; then rm -f "$wrapper_path"; fi
if [ -n "$credentials_dir" ]; then rmdir "$credentials_dir" 2>/dev/null || true; fi
if [ -n "$cached" ]; then
  unmount "$cache_dir"
  fstab_remove "cache:$id"
  rmdir "$cache_dir" 2>/dev/null || true
  rm -f "$cache_img"
fi
rmdir "$dir" 2>/dev/null || true
echo "bucket $bucket: unmounted from $dir"
