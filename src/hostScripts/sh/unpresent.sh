#!/usr/bin/env bash
# Stops presenting a volume: its bind mount and fstab entry go, and the directory at its path too if
# skymount made it and it is empty.

# Given: as the present script: tag, target, marker.
: "${tag?}" "${target?}" "${marker?}"
set -euo pipefail

# A process holding a file open there: detached lazily after a few seconds, with a warning;
# destroy never hangs on it, and what it writes still reaches the bucket when it closes.
release "$target"
fstab_remove "$tag"
# The present made the directory under the bind immutable; it goes back to an ordinary one (only once
# nothing is mounted there: the attribute is the directory's own).
if ! is_mounted "$target"; then chattr -i "$target" 2> /dev/null || true; fi
# Only a directory skymount made, and only if empty.
if grep -qs '^created=1$' "$marker"; then rmdir "$target" 2>/dev/null || true; fi
rm -f "$marker"
echo "$target: released"
