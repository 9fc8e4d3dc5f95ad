#!/usr/bin/env bash
# Checks what the install script made: geesefs with the pinned checksum, skymount's mount helper as
# rendered, fuse3, and allow_other in /etc/fuse.conf when asked.

# Given: geesefs_bin, geesefs_sha256, helper, helper_sha256, allow_other (1 or empty).
: "${geesefs_bin?}" "${geesefs_sha256?}" "${helper?}" "${helper_sha256?}" "${allow_other?}"
set -euo pipefail

got=$(sha256sum "$geesefs_bin" 2>/dev/null | cut -d' ' -f1 || true)
[ "$got" = "$geesefs_sha256" ] || drift "geesefs at $geesefs_bin: sha256 ${got:-missing}, installed was $geesefs_sha256"
got=$(sha256sum "$helper" 2>/dev/null | cut -d' ' -f1 || true)
{ [ "$got" = "$helper_sha256" ] && [ -x "$helper" ]; } || drift "mount helper $helper: missing, changed or not executable"
command -v fusermount3 > /dev/null 2>&1 || drift "fusermount3 (fuse3) is not installed"
if [ -n "$allow_other" ]; then grep -qs '^user_allow_other' /etc/fuse.conf || drift "/etc/fuse.conf lacks user_allow_other"; fi
verdict "install: as made"
