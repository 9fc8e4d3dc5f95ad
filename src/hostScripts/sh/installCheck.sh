#!/usr/bin/env bash
# Checks what the install script made: geesefs with the pinned checksum, skymount's mount helper as
# rendered, fuse3, and skymount's directories root's alone.

# Given: geesefs_bin, geesefs_sha256, helper, helper_sha256, private_dirs (skymount's directories).
: "${geesefs_bin?}" "${geesefs_sha256?}" "${helper?}" "${helper_sha256?}" "${private_dirs?}"
set -euo pipefail

got=$(sha256sum "$geesefs_bin" 2>/dev/null | cut -d' ' -f1 || true)
[ "$got" = "$geesefs_sha256" ] || drift "geesefs at $geesefs_bin: sha256 ${got:-missing}, installed was $geesefs_sha256"
got=$(sha256sum "$helper" 2>/dev/null | cut -d' ' -f1 || true)
{ [ "$got" = "$helper_sha256" ] && [ -x "$helper" ]; } || drift "mount helper $helper: missing, changed or not executable"
command -v fusermount3 > /dev/null 2>&1 || drift "fusermount3 (fuse3) is not installed"
for d in "${private_dirs[@]}"; do
  [ "$(stat -c %a "$d" 2>/dev/null)" = 700 ] || drift "$d is not root's alone (mode 0700): keys, logs or bucket data may be readable by other accounts"
done
verdict "install: as made"
