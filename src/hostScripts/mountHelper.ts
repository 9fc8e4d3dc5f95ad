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
import { renderScript } from "./scriptFiles";

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

/** The helper program (sh/mountHelper.sh). */
export function renderMountHelper(options: MountHelperOptions = {}): string {
    return renderScript("mountHelper.sh", {
        values: {
            geesefs: options.geesefs ?? GEESEFS_BINARY,
            mount_table: options.mountTable ?? "/proc/mounts",
            wait_seconds: options.waitSeconds ?? 10,
            supervisor: options.supervisor ?? SUPERVISOR,
        },
    });
}
