# shellcheck shell=bash
# Shell functions for the fstab entries skymount owns (hostScripts/fstab.ts). Each entry is a
# "# skymount:<tag>" line followed by the entry itself, so it can be replaced or removed without
# touching anyone else's.
# Given: fstab_lock, the lock every edit of /etc/fstab holds.
: "${fstab_lock?}"

# Every edit holds one lock: Pulumi runs a host's mount and present scripts in parallel, and two
# unlocked read-modify-write edits lose one entry (that volume is then gone after a reboot).
fstab_locked() {
  ( flock -w 120 9 || { echo "skymount: no lock on /etc/fstab after 120 s" >&2; exit 1; }
    "$@" ) 9> "$fstab_lock"
}

# The tag and line reach awk through its environment: `awk -v` would turn the \040 that fstab
# writes for a space into a space.
# Readers of /etc/fstab (mount(8) given only a mount point) take the lock shared: the rewrite
# below truncates the file before writing it again, and a mount that read it in that window failed
# with "can't find in /etc/fstab" (seen when two buckets mounted at once on one host). The command
# runs without fd 9, so a daemon it leaves behind (geesefs) cannot keep holding the lock.
fstab_reading() {
  ( flock -s -w 120 9 || { echo "skymount: no lock on /etc/fstab after 120 s" >&2; exit 1; }
    "$@" 9>&- ) 9> "$fstab_lock"
}

# fstab_rewrite AWK_PROGRAM: /etc/fstab through the program.
fstab_rewrite() {
  local tmp
  tmp=$(mktemp /etc/.fstab.skymount.XXXXXX)
  awk "$1" /etc/fstab > "$tmp"
  # Rewritten in place (not renamed over), so /etc/fstab keeps its inode, owner and mode.
  cat "$tmp" > /etc/fstab
  rm -f "$tmp"
}

# fstab_remove TAG: the entry tagged TAG goes, if there is one.
fstab_remove() {
  [ -f /etc/fstab ] || return 0
  local -x FSTAB_TAG="# skymount:$1"
  # shellcheck disable=SC2016 # an awk program: its $0 is awk's, not the shell's
  fstab_locked fstab_rewrite 'skip { skip = 0; next } $0 == ENVIRON["FSTAB_TAG"] { skip = 1; next } { print }'
}

# fstab_set TAG LINE [BEFORE]: the entry tagged TAG becomes LINE.
# Replaced in place, so an entry keeps its position: boot mounts in file order, and a bucket's
# FUSE mount must stay ahead of the bind mounts that present it. A new entry goes at the end, or,
# given BEFORE, before the first skymount entry with the mount option BEFORE (a FUSE mount's entry
# removed out of band comes back ahead of the binds that still point into it).
fstab_set() {
  touch /etc/fstab
  local -x FSTAB_TAG="# skymount:$1" FSTAB_LINE="$2" FSTAB_BEFORE="${3:-}"
  # shellcheck disable=SC2016 # an awk program: its $0 is awk's, not the shell's
  fstab_locked fstab_rewrite '
    BEGIN { tag = ENVIRON["FSTAB_TAG"]; line = ENVIRON["FSTAB_LINE"]; before = ENVIRON["FSTAB_BEFORE"] }
    { lines[++n] = $0 }
    $0 == tag { found = 1 }
    END {
      at = 0
      if (!found && before != "")
        for (i = 2; i <= n; i++)
          if (split(lines[i], f, " ") >= 4 && index("," f[4] ",", "," before ",") && index(lines[i - 1], "# skymount:") == 1) { at = i - 1; break }
      for (i = 1; i <= n; i++) {
        if (i == at) { print tag; print line }
        if (skip) { skip = 0; continue }
        if (lines[i] == tag) { print tag; print line; skip = 1; continue }
        print lines[i]
      }
      if (!found && at == 0) { print tag; print line }
    }'
}

# A dead FUSE mount (its daemon killed) fails mountpoint(1) but is still in the mount table.
is_mounted() { grep -qs " $1 " /proc/mounts; }
unmount() { is_mounted "$1" || return 0; umount "$1" 2>/dev/null || umount -l "$1"; }
fail() { echo "skymount: $*" >&2; exit 1; }
