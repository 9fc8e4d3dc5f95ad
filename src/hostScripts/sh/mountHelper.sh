#!/bin/sh
# skymount: starts geesefs for mount(8) as `<this> <bucket> <dir> -o <options>` and judges the
# start by what is mounted (geesefs's parent can die in a daemonize race while its child mounts:
# hostScripts/mountHelper.ts says more). After a mount it starts skymount's supervisor unless it
# runs: after a boot, mount -a brings it back.

# Given: geesefs (the binary), mount_table (/proc/mounts), wait_seconds (how long the daemonized
# child gets to finish mounting after its parent died), supervisor (the program it starts).
: "${geesefs?}" "${mount_table?}" "${wait_seconds?}" "${supervisor?}"

# Go's exit status for a panic, which is how geesefs's parent dies in the daemonize race. A real
# mount failure (bad credentials, missing bucket) exits 1 and is reported at once.
panic_status=2

# Without systemd (which runs the supervisor as a service of its own).
supervise() { if [ -x "$supervisor" ] && [ ! -d /run/systemd/system ]; then "$supervisor" start || true; fi; }

"$geesefs" "$@"
status=$?
[ "$status" -ne 0 ] || { supervise; exit 0; }
# In the foreground (-f: how a bucket's systemd service runs it) nothing daemonizes, so there is no
# race: a geesefs that panics or is killed there (its dead mount still in the table) must end the
# service as failed, for Restart=on-failure to start it again. Judged a race, its exit was a success:
# no restart, and the volume stayed "Transport endpoint is not connected" (found by the chaos soak).
case ",$4," in *,-f,*) exit "$status" ;; esac
[ "$status" -eq "$panic_status" ] || exit "$status"
i=0; while [ "$i" -lt $((wait_seconds * 4)) ]; do
  if awk -v dir="$2" '$2 == dir { found = 1 } END { exit !found }' "$mount_table"; then
    echo "skymount: $2 is mounted although geesefs's starter died (daemonize race)" >&2
    supervise
    exit 0
  fi
  sleep 0.25; i=$((i + 1))
done
exit "$status"
