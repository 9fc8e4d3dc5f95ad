# shellcheck shell=bash
# Shell functions for a bucket's FUSE mount and the bind mounts that present its volumes, shared by
# the mount and unmount scripts, the present scripts and the supervisor (hostScripts/mountFunctions.ts).
# They need fstabFunctions.sh (is_mounted, fstab_reading) defined first.

# geesefs_pids DIR: the geesefs processes that serve DIR.
# The testbed's hosts (network namespaces) share one pid namespace with each other: only the
# geesefs processes of this host's mount namespace that serve exactly this directory.
geesefs_pids() {
  local me p
  me=$(readlink /proc/self/ns/mnt)
  for p in $(pgrep -x geesefs || true); do
    [ "$(readlink "/proc/$p/ns/mnt" 2>/dev/null)" = "$me" ] || continue
    tr '\0' '\n' < "/proc/$p/cmdline" 2>/dev/null | grep -qxF -- "$1" && echo "$p"
  done
  return 0
}

# binds_into DIR: the targets of the bind mounts into the FUSE mount DIR.
# A present's fstab entry names the FUSE mount it points into (x-systemd.requires-mounts-for),
# so the bind mounts of a mount are read from fstab: no other record to keep in step.
binds_into() {
  [ -f /etc/fstab ] || return 0
  local -x BIND_OPTION="x-systemd.requires-mounts-for=$1"
  awk '$3 == "none" && index("," $4 ",", "," ENVIRON["BIND_OPTION"] ",") { print $2 }' /etc/fstab
}

# Bind mounts into $1 that are mounted now: the ones to re-make after a remount (one a user
# unmounted stays unmounted).
mounted_binds_into() { local t; for t in $(binds_into "$1"); do if is_mounted "$t"; then echo "$t"; fi; done; return 0; }

# release DIR: unmounts a path, waiting a little for a busy one, then detaching it lazily with a
# warning: never hangs, never kills the processes that use it. Every mount stacked there goes: on a
# systemd host a bind's mount unit, restarted with its bucket's service, can mount it over
# skymount's own, and a lower one left behind would outlive destroy, dead once its geesefs exits.
release() {
  local layer busy
  for layer in 1 2 3 4; do
    is_mounted "$1" || return 0
    # Dead or hung (its geesefs gone or stuck): nothing will ever finish with it.
    if ! timeout -s KILL 3 stat -c %i -- "$1" > /dev/null 2>&1; then umount -l "$1"; continue; fi
    # A busy mount (a process holding a file open on it) gets 5 s before it is detached lazily.
    busy=1
    for _ in $(seq 10); do
      if umount "$1" 2>/dev/null || ! is_mounted "$1"; then busy=; break; fi
      sleep 0.5
    done
    [ -n "$busy" ] || continue
    echo "skymount: $1 is busy (used by pids: $(fuser -m "$1" 2>/dev/null | xargs)): detached lazily; what they have open stays readable and writable until they close it" >&2
    umount -l "$1"
  done
  if is_mounted "$1"; then echo "skymount: $1 is still mounted after $layer unmounts" >&2; fi
  return 0
}

# drain_unmount DIR: a FUSE mount unmounted cleanly: the old geesefs uploads what it still holds and
# exits before anything else (a remount with new keys, the deletion of its keys) goes on. It gets 20 s.
drain_unmount() {
  local pids p
  pids=$(geesefs_pids "$1")
  release "$1"
  for p in $pids; do
    for _ in $(seq 80); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$p" 2>/dev/null; then echo "skymount: geesefs (pid $p) of $1 still serves open files; it exits when they are closed" >&2; fi
  done
  return 0
}

# While a bind mount is away (a remount drains the old geesefs first), a read-only empty file
# system stands in at its path: a write there fails (EROFS) instead of landing, unseen, on the disk
# under it.
placeholder() { local t; for t in "$@"; do mount -t tmpfs -o ro,size=4k,mode=0555 skymount-remounting "$t"; done; return 0; }

# mount_jobs_done TARGET...: waits (up to 30 s) until systemd has no job queued for the targets'
# mount units. Restarting a bucket's service restarts the bind mounts that require it, and systemd
# mounts them once the service is up, after `systemctl restart` has returned: a bind re-made before
# that job ran would be mounted twice, one over the other.
mount_jobs_done() {
  local units t
  units=$(for t in "$@"; do systemd-escape -p --suffix=mount "$t"; done)
  [ -n "$units" ] || return 0
  for _ in $(seq 300); do
    systemctl list-jobs --no-legend 2>/dev/null | awk '{ print $2 }' | grep -qxF -- "$units" || return 0
    sleep 0.1
  done
  return 0
}

# rebind TARGET...: re-makes bind mounts from their fstab entries: after the FUSE mount they point
# into was re-made, the old ones still show the old (dead, or unmounted) mount.
rebind() {
  local t
  for t in "$@"; do
    # Every mount stacked there (see release), so the one made here is the only one.
    for _ in 1 2 3 4; do if is_mounted "$t"; then umount -l "$t"; fi; done
    fstab_reading mount "$t" < /dev/null || echo "skymount: re-making the bind mount $t failed" >&2
  done
  return 0
}
