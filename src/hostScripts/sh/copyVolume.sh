#!/usr/bin/env bash
# Makes a COPY volume: a local, read-only snapshot of a bucket (or a prefix of one). The bucket (or the
# prefix) is mounted read-only with geesefs for the copy only, read with parallel copies into a staging
# directory that replaces the previous copy in one rename, and unmounted again. The copy is made
# again only when its fingerprint ($dir.spec) changes. The bucket's keys arrive on stdin.

# Given: bucket, prefix, dir (the copy), fuse_dir (the temporary mount), creds (its key file),
# credentials_dir (the mount's own directory of keys, or empty), log_file, spec (the copy's
# fingerprint), has_credentials (1: keys on stdin), mount_command (the mount helper's command line,
# with the mount's environment), progress (the prefix of a progress line), file_mode and dir_mode
# (the copy's modes: who besides its owner may read it); mountSpec.sh's owner_ids.
: "${bucket?}" "${prefix?}" "${dir?}" "${fuse_dir?}" "${creds?}" "${credentials_dir?}" "${log_file?}" "${spec?}"
: "${has_credentials?}" "${mount_command?}" "${progress?}" "${file_mode?}" "${dir_mode?}"
set -euo pipefail

# The copy belongs to the volume's owner, as a mount's files do: a change of owner copies again.
read -r owner_uid owner_gid <<< "$(owner_ids)"
spec="$spec owner=$owner_uid $owner_gid"

if [ -n "$has_credentials" ]; then
  mkdir -p "$(dirname "$creds")" && chmod 0700 "$(dirname "$creds")"
  umask 077
  cat > "$creds"
  [ -s "$creds" ] || fail "no credentials for bucket $bucket arrived on stdin"
  umask 022
else
  cat > /dev/null
fi
cleanup() {
  unmount "$fuse_dir"; rmdir "$fuse_dir" 2>/dev/null || true; rm -f "$creds"
  if [ -n "$credentials_dir" ]; then rmdir "$(dirname "$creds")" 2>/dev/null || true; fi
}
trap cleanup EXIT
if [ -d "$dir" ] && [ "$(cat "$dir.spec" 2>/dev/null)" = "$spec" ]; then
  echo "copy of $bucket${prefix:+/$prefix}: $dir (unchanged)"
  exit 0
fi
mkdir -p "$fuse_dir" "$(dirname "$log_file")"
unmount "$fuse_dir"
# geesefs daemonizes; its stdio must not hold the SSH session's pipes open.
"${mount_command[@]}" < /dev/null > "$log_file.start" 2>&1 || { cat "$log_file.start" >&2; fail "mounting bucket $bucket to copy it failed"; }
{ timeout 20 ls -f -- "$fuse_dir" || [ $? = 141 ]; } | head -n 1 > /dev/null || fail "bucket $bucket does not answer (credentials, endpoint or bucket wrong?)"
# The temporary mount is of the prefix itself (bucket:prefix/), so credentials scoped to the prefix
# copy it; it is there even when no key is under the prefix. `find -quit` stops at the first entry.
src="$fuse_dir"
[ -z "$prefix" ] || [ -n "$(find "$src" -mindepth 1 -maxdepth 1 -print -quit)" ] || fail "prefix '$prefix' does not exist in bucket $bucket"
staging="$dir.partial"
rm -rf "$staging" && mkdir -p "$staging"
(cd "$src" && find . -mindepth 1 -type d -print0) | (cd "$staging" && xargs -0 -r mkdir -p)
# Listed once: its count is the total the progress lines, printed while the copy runs, count to.
files=$(mktemp)
(cd "$src" && find . -type f -print0) > "$files"
total=$(tr -cd '\0' < "$files" | wc -c)
# A progress line every 5 s. The loop's sleep holds no pipe of the SSH session, so the command ends
# when the copy does.
# shellcheck disable=SC2217 # sleep reads nothing: its descriptors are redirected so it holds no pipe open
( while sleep 5 < /dev/null > /dev/null 2>&1; do echo "${progress}copy of $bucket${prefix:+/$prefix}: $(find "$staging" -type f | wc -l)/$total files, $(du -sh "$staging" | cut -f1)" >&2; done ) &
progress_pid=$!
# 16 files at once: geesefs serves parallel reads, and one `cp` at a time is latency-bound.
copied=0; (cd "$src" && xargs -0 -r -P 16 -n 32 cp --parents -t "$staging" < "$files") || copied=$?
kill "$progress_pid" 2>/dev/null || true
rm -f "$files"
[ "$copied" = 0 ] || fail "copying bucket $bucket${prefix:+/$prefix} failed"
# Owned and moded as a mount's files are (geesefsFlags.ts): without sharing, the owner's alone.
chown -R "$owner_uid:$owner_gid" "$staging"
find "$staging" -type d -exec chmod "$dir_mode" {} +
find "$staging" -type f -exec chmod "$file_mode" {} +
if [ -d "$dir" ]; then mv "$dir" "$dir.old"; fi
mv "$staging" "$dir"
rm -rf "$dir.old"
echo "$spec" > "$dir.spec"
echo "copy of $bucket${prefix:+/$prefix}: $(find "$dir" -type f | wc -l) files, $(du -sh "$dir" | cut -f1) in $dir"
