#!/usr/bin/env bash
# Presents a volume at its path: a bind mount of `<bucket mount>/<prefix>`, of a FUSE mount of the
# prefix itself, or of a COPY volume's directory, read-only when the volume is, even if its bucket's
# FUSE mount writes for another volume (writes then fail with EROFS). A real, non-empty directory at
# the path is an error: skymount never wipes data.

# Given: tag (its fstab entry's), source, target, mount_dir (the FUSE mount or the copy), marker (what
# skymount made at the target), presents_dir, prefix, bucket, fuse (1: mount_dir is a FUSE mount),
# read_only (1 or empty), fstab_entry, and origin_spec: the origin's fingerprint, which is here only
# so that when the FUSE mount or the copy is re-made this script changes and re-makes the bind mount
# that pointed into the old one.
: "${tag?}" "${source?}" "${target?}" "${mount_dir?}" "${marker?}" "${presents_dir?}" "${prefix?}" "${bucket?}"
: "${fuse?}" "${read_only?}" "${fstab_entry?}" "${origin_spec?}"
set -euo pipefail

mkdir -p "$presents_dir"
if [ -n "$fuse" ]; then
  mountpoint -q "$mount_dir" || fail "bucket $bucket is not mounted at $mount_dir"
else
  [ -d "$mount_dir" ] || fail "the copy of bucket $bucket is missing at $mount_dir"
fi
if is_mounted "$target"; then
  [ -f "$marker" ] || fail "$target is already a mount point that skymount did not make"
  release "$target"
fi
[ ! -e "$target" ] || [ -d "$target" ] || fail "$target exists and is not a directory"
# created=1: skymount made the directory at the target, and removes it with the volume.
created=$(sed -n 's/^created=//p' "$marker" 2>/dev/null || true)
if [ -d "$target" ]; then
  if [ -z "$created" ] && [ -n "$(ls -A "$target")" ]; then
    fail "$target is a non-empty directory; skymount never wipes data: empty it or choose another mount path"
  fi
  created=${created:-0}
else
  mkdir -p "$target"
  created=1
fi
echo "created=$created" > "$marker"
# The directory under the bind mount is made immutable: whenever the bind is away (systemd unmounts
# it while the bucket's service restarts, a heal re-makes it), a write at the path fails (EPERM)
# instead of landing, unseen, on the host's disk and being hidden once the bind is back. Best effort:
# a file system without the attribute keeps the directory as it is.
chattr +i "$target" 2> /dev/null || true
missing="prefix '$prefix' does not exist in bucket $bucket, and a read-only volume cannot create it"
if [ -n "$fuse" ] && [ -n "$prefix" ] && [ "$source" = "$mount_dir" ]; then
  # A FUSE mount of the prefix itself (bucket:prefix/) is there even when no key is under the
  # prefix; a read-only volume would show nothing for ever. `find -quit` stops at the first entry.
  [ -z "$read_only" ] || [ -n "$(find "$source" -mindepth 1 -maxdepth 1 -print -quit)" ] || fail "$missing"
elif [ ! -d "$source" ]; then
  [ -z "$read_only" ] || fail "$missing"
  mkdir -p "$source"
fi
mount --bind "$source" "$target"
if [ -n "$read_only" ]; then fstab_reading mount -o remount,bind,ro "$target"; fi
fstab_set "$tag" "$fstab_entry"
# The volume answers: its first entries only. `ls -f` prints as it reads and dies of SIGPIPE (141)
# once head has a line, so a prefix of 100,000 objects is not listed in full (that took over 20 s).
{ timeout 20 ls -f -- "$target" || [ $? = 141 ]; } | head -n 1 > /dev/null
echo "$target: $bucket${prefix:+/$prefix} ($(if [ -n "$read_only" ]; then echo read-only; else echo read-write; fi))"
