// skymount's supervisor: brings a bucket's FUSE mount back when its geesefs died (SIGKILL, the OOM
// killer) or hangs, and re-makes the bind mounts that pointed into it, with no Pulumi run. A small
// bash loop on the host, one instance per host, installed by the install script.
//
// What it heals: only the mounts listed in SUPERVISED_DIR (the mount script adds them, the unmount
// script removes them before it unmounts, under HEAL_LOCK, so destroy is never fought), and only
// while they are still in the mount table: a dead geesefs leaves its mount there ("Transport
// endpoint is not connected"), a deliberate `umount` does not, so a user's umount is left alone.
//
// Where it runs: without systemd (the testbed's hosts), started detached by the install and mount
// scripts and, at boot, by the mount helper when mount -a mounts the first bucket; it exits after a
// minute with nothing to supervise. With systemd, as skymount-supervisor.service, where each mount
// is a service of its own that systemd restarts when geesefs dies (systemdUnits.ts): there the
// supervisor only catches hung mounts, and heals by restarting the mount's service.
//
// Hung, for the 2-second check, is a root that does not answer a stat; geesefs answers that from
// memory, so a mount whose requests to its store hang is caught by a slower lookup probe
// (lookupProbe.ts), which never counts a mount stuck while its store does not answer either.
import { FSTAB_FUNCTIONS } from "./fstab";
import { LOOKUP_PROBE_TIMINGS, LookupProbeTimings, lookupProbeFunctions } from "./lookupProbe";
import { HEAL_LOCK, SUPERVISED_DIR, SUPERVISOR_LOCK, SUPERVISOR_LOG, SYSTEMD_UNIT_DIR } from "./hostPaths";
import { MOUNT_FUNCTIONS } from "./mountFunctions";
import { renderScript } from "./scriptFiles";

export interface SupervisorOptions {
    /** Where the list of supervised mounts lives (tests use their own). */
    supervisedDir?: string;
    logFile?: string;
    lockFile?: string;
    healLock?: string;
    /** Checks of a running supervisor end after this many checks with nothing to supervise. */
    idleChecks?: number;
    /** The lookup probe's timings (tests shorten them). */
    lookupProbe?: LookupProbeTimings;
}

/** The supervisor program (sh/supervisor.sh; its timings are there). */
export function renderSupervisor(options: SupervisorOptions = {}): string {
    return renderScript("supervisor.sh", {
        values: {
            supervised: options.supervisedDir ?? SUPERVISED_DIR,
            log: options.logFile ?? SUPERVISOR_LOG,
            lock: options.lockFile ?? SUPERVISOR_LOCK,
            heal_lock: options.healLock ?? HEAL_LOCK,
            units: SYSTEMD_UNIT_DIR,
            idle_checks: options.idleChecks ?? 30,
        },
        functions: [FSTAB_FUNCTIONS, MOUNT_FUNCTIONS, lookupProbeFunctions(options.lookupProbe ?? LOOKUP_PROBE_TIMINGS)],
    });
}
