// The program mount(8) runs for every geesefs mount skymount makes: fstab entries name it as
// `<helper>#<bucket> <dir> fuse <options>` (mount.fuse's helper#source form), and COPY's temporary
// mount calls it with the same arguments. It runs geesefs and judges a start by what got mounted.
//
// Why a helper of our own rather than geesefs directly: geesefs daemonizes through go-daemon
// v0.1.6, whose parent can lose a race with its child (it writes to a pipe the child has already
// replaced: "panic: unable to daemonize: write |1: broken pipe") and exit 2 while the child goes on
// and mounts. Seen on the testbed about once in a few dozen mounts. At boot, mount(8) would then
// count the bucket as failed and present its volumes before the bucket is there. The helper waits
// for the mount in exactly that case, so `pulumi up`, COPY and boot all see a finished mount or a
// real failure.
import { GEESEFS_BINARY, SUPERVISOR } from "./hostPaths";
import { quote } from "./shell";
import { startSupervisorCommand } from "./supervisor";

/** Go's exit status for a panic, which is how geesefs's parent dies in the daemonize race. A real
 *  mount failure (bad credentials, missing bucket) exits 1 and is reported at once. */
const PANIC_STATUS = 2;

export interface MountHelperOptions {
    /** The geesefs binary the helper runs. */
    geesefs?: string;
    /** The mount table it reads (tests point it at a file of their own). */
    mountTable?: string;
    /** How long the daemonized child gets to finish mounting after its parent died. */
    waitSeconds?: number;
    /** The supervisor it starts after a mount (at boot, mount -a is what brings the supervisor back). */
    supervisor?: string;
}

export function renderMountHelper(options: MountHelperOptions = {}): string {
    const { geesefs = GEESEFS_BINARY, mountTable = "/proc/mounts", waitSeconds = 10, supervisor = SUPERVISOR } = options;
    return [
        "#!/bin/sh",
        "# skymount: starts geesefs for mount(8) as `<this> <bucket> <dir> -o <options>` and judges the",
        "# start by what is mounted (geesefs's parent can die in a daemonize race while its child mounts).",
        "# After a mount it starts skymount's supervisor unless it runs: after a boot, mount -a brings it back.",
        `supervise() { ${startSupervisorCommand(supervisor)}; }`,
        `${quote(geesefs)} "$@"`,
        "status=$?",
        '[ "$status" -ne 0 ] || { supervise; exit 0; }',
        `[ "$status" -eq ${PANIC_STATUS} ] || exit "$status"`,
        `i=0; while [ "$i" -lt ${waitSeconds * 4} ]; do`,
        `  if awk -v dir="$2" '$2 == dir { found = 1 } END { exit !found }' ${quote(mountTable)}; then`,
        '    echo "skymount: $2 is mounted although geesefs\'s starter died (daemonize race)" >&2',
        "    supervise",
        "    exit 0",
        "  fi",
        "  sleep 0.25; i=$((i + 1))",
        "done",
        'exit "$status"',
        "",
    ].join("\n");
}
