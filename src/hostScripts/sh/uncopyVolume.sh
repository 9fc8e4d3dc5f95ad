#!/usr/bin/env bash
# Removes a COPY volume's snapshot: only skymount's own copy directories (the volume's path itself
# was released before), its fingerprint and the key file of its temporary mount.

# Given: as the copy script: bucket, prefix, dir, fuse_dir, creds, credentials_dir.
: "${bucket?}" "${prefix?}" "${dir?}" "${fuse_dir?}" "${creds?}" "${credentials_dir?}"
set -euo pipefail

unmount "$fuse_dir"
rm -rf "$dir" "$dir.partial" "$dir.old" "$dir.spec" "$creds"
if [ -n "$credentials_dir" ]; then rmdir "$(dirname "$creds")" 2>/dev/null || true; fi
rmdir "$fuse_dir" 2>/dev/null || true
echo "removed the copy of $bucket${prefix:+/$prefix}"
