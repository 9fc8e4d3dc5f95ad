// On hosts run by systemd (every cloud VM), a bucket's FUSE mount is a service of its own rather
// than an fstab entry: systemd restarts geesefs when it dies (Restart=on-failure), starts it once
// the network is up and before the bind mounts that present its volumes (their fstab entries
// require the service), and stops it cleanly (umount, so geesefs uploads what it holds) on
// shutdown. The mount script writes the unit when /run/systemd/system exists; hosts without systemd
// (the testbed's) get the same healing from the supervisor (supervisor.ts).
import { mountProgram, mountProgramArgs } from "./fstabLine";
import { CACHE_ROOT, SUPERVISOR } from "./hostPaths";
import { FuseMountPlan, GeesefsOptions } from "./plan";
import { commentText } from "./shell";

/** The unit of a FUSE mount: one per mount id. */
export function mountServiceName(mountId: string): string {
    return `skymount-${mountId}.service`;
}

export const SUPERVISOR_SERVICE = "skymount-supervisor.service";

/** One word of an Exec= line: double-quoted, with systemd's specifiers (%) and variables ($) kept literal. */
export function systemdWord(word: string): string {
    return `"${word.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(/\$/g, "$$$$")}"`;
}

function execLine(words: string[]): string {
    return words.map(systemdWord).join(" ");
}

/** The service that runs geesefs for a mount in the foreground (`-f` among the -o options, which
 *  geesefs reads as flags), through the same program fstab would name: the mount helper, or the
 *  mount's wrapper that sets its environment. */
export function renderMountService(mount: FuseMountPlan, options: GeesefsOptions): string {
    const [source, dir, dashO, flags] = mountProgramArgs(mount, options);
    return [
        "[Unit]",
        `Description=skymount: bucket ${commentText(mount.bucket)} at ${commentText(mount.dir)}`,
        // Not a local disk: only once the network is up.
        "Wants=network-online.target",
        "After=network-online.target",
        // Before the bind mounts that present its volumes (they require this unit) and before what
        // waits for remote file systems.
        "Before=remote-fs.target",
        // MOUNT_CACHED: the cache's file system (an fstab entry) first.
        ...(mount.cached ? [`RequiresMountsFor=${CACHE_ROOT}/${mount.id}`] : []),
        // Restart for ever: a store that is away for a while must not leave the mount dead for good.
        "StartLimitIntervalSec=0",
        "",
        "[Service]",
        "Type=simple",
        // A dead mount (geesefs killed) stays in the mount table and blocks the new one.
        `ExecStartPre=-/bin/umount -l ${systemdWord(dir)}`,
        `ExecStart=${execLine([mountProgram(mount), source, dir, dashO, `${flags},-f`])}`,
        // Ready once the mount answers; after a restart the bind mounts into the dead mount are re-made.
        `ExecStartPost=${execLine([SUPERVISOR, "settle", dir])}`,
        // A clean unmount: geesefs uploads what it still holds, then exits. A mount already gone (a
        // user's umount, systemd's own at shutdown) is no failure, which Restart=on-failure would undo.
        `ExecStop=-/bin/umount ${systemdWord(dir)}`,
        `ExecStopPost=-/bin/umount -l ${systemdWord(dir)}`,
        // A geesefs that exits by itself (a user's umount) stays stopped; one that is killed restarts.
        "Restart=on-failure",
        "RestartSec=1",
        "TimeoutStopSec=60",
        "",
        "[Install]",
        "WantedBy=remote-fs.target",
        "",
    ].join("\n");
}

/** The supervisor under systemd: catches hung mounts (systemd itself restarts dead ones). */
export function renderSupervisorService(): string {
    return [
        "[Unit]",
        "Description=skymount: heals hung FUSE mounts and their bind mounts",
        "After=remote-fs.target",
        "",
        "[Service]",
        `ExecStart=${execLine([SUPERVISOR, "run", "forever"])}`,
        "Restart=always",
        "RestartSec=2",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ].join("\n");
}
