#!/usr/bin/env bash
# Checks a volume's bind mount as the present script made it: in place, showing its source,
# read-only if it should be, listable, and its fstab entry.

# Given: as the present script: tag, source, target, read_only, fstab_entry; and checkFunctions.sh's
# probe_seconds.
: "${probe_seconds?}" "${tag?}" "${source?}" "${target?}" "${read_only?}" "${fstab_entry?}"
set -euo pipefail

# The last mount at the path is what users see there.
options=$(awk -v t="$target" '$2 == t { o = $4 } END { print o }' /proc/mounts)
if [ -z "$options" ]; then
  drift "$target is not mounted"
else
  # A bind mount's root is its source directory: same device and inode.
  seen=$(timeout "$probe_seconds" stat -c %d:%i "$target" 2>/dev/null || echo unreachable)
  want=$(timeout "$probe_seconds" stat -c %d:%i "$source" 2>/dev/null || echo unreachable)
  if [ "$seen" = unreachable ] || [ "$seen" != "$want" ]; then
    drift "$target does not show $source (its bind mount is gone or points into a dead mount)"
  # Its first entries only (as the present script's probe): a big prefix never lists in full in 5 s.
  elif ! { timeout "$probe_seconds" ls -f -- "$target" 2>/dev/null || [ $? = 141 ]; } | head -n 1 > /dev/null; then
    drift "$target does not list within $probe_seconds s"
  fi
  case ",$options," in
    *,ro,*) if [ -z "$read_only" ]; then drift "$target is read-only; it should be writable"; fi ;;
    *) if [ -n "$read_only" ]; then drift "$target is writable; it should be read-only"; fi ;;
  esac
fi
[ "$(fstab_entry "$tag")" = "$fstab_entry" ] || drift "/etc/fstab: the entry for $target is missing or changed (a reboot would not present it)"
verdict "$target: presented${read_only:+ read-only}, as made"
