// Shell functions for the fstab entries skymount owns. Each entry is a "# skymount:<tag>" line
// followed by the entry itself, so it can be replaced or removed without touching anyone else's.

export const FSTAB_FUNCTIONS = [
    "fstab_remove() {",
    "  local tag=\"# skymount:$1\" tmp",
    "  [ -f /etc/fstab ] || return 0",
    "  tmp=$(mktemp /etc/.fstab.skymount.XXXXXX)",
    "  awk -v tag=\"$tag\" 'skip { skip = 0; next } $0 == tag { skip = 1; next } { print }' /etc/fstab > \"$tmp\"",
    "  cat \"$tmp\" > /etc/fstab",
    "  rm -f \"$tmp\"",
    "}",
    // Replaced in place, so an entry keeps its position: boot mounts in file order, and a bucket's
    // FUSE mount must stay ahead of the bind mounts that present it.
    "fstab_set() {",
    "  local tag=\"# skymount:$1\" tmp",
    "  touch /etc/fstab",
    "  tmp=$(mktemp /etc/.fstab.skymount.XXXXXX)",
    "  awk -v tag=\"$tag\" -v line=\"$2\" 'skip { skip = 0; next } $0 == tag { print tag; print line; skip = 1; found = 1; next } { print } END { if (!found) { print tag; print line } }' /etc/fstab > \"$tmp\"",
    "  cat \"$tmp\" > /etc/fstab",
    "  rm -f \"$tmp\"",
    "}",
    // A dead FUSE mount (its daemon killed) fails mountpoint(1) but is still in the mount table.
    "is_mounted() { grep -qs \" $1 \" /proc/mounts; }",
    "unmount() { is_mounted \"$1\" || return 0; umount \"$1\" 2>/dev/null || umount -l \"$1\"; }",
    "fail() { echo \"skymount: $*\" >&2; exit 1; }",
];
