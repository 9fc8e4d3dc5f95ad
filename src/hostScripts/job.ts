// Scripts for a node's own work (sh/workdir.sh, removeWorkdir.sh, setup.sh, run.sh, stopRun.sh):
// unpack the workdir, run `setup` once per change, start `run`.
import { JOB_LOG, JOB_PGID, JOB_PID, WORKDIR } from "./hostPaths";
import { renderScript, shellFunctions } from "./scriptFiles";

export { JOB_LOG, WORKDIR } from "./hostPaths";

/** Unpacks the base64 tar.gz on stdin into the workdir. Replaces only a workdir skymount made. */
export function renderWorkdirScript(archiveSha256: string): string {
    return renderScript("workdir.sh", {
        description: `unpack the workdir into ${WORKDIR}`,
        values: { dir: WORKDIR, archive: archiveSha256 },
    });
}

export function renderRemoveWorkdirScript(): string {
    return renderScript("removeWorkdir.sh", { description: `remove ${WORKDIR}`, values: { dir: WORKDIR } });
}

/** `setup` runs in the workdir, in the foreground: `pulumi up` waits for it and fails with it. */
export function renderSetupScript(setup: string, dependsOn: string): string {
    return renderScript("setup.sh", { description: "setup", values: { workdir: WORKDIR, setup, depends_on: dependsOn } });
}

/** Seconds a stopped `run` gets between SIGTERM and SIGKILL. */
export const RUN_STOP_GRACE_SECONDS = 10;

/** `stop_run` (sh/runGroup.sh): stops the recorded run as a process group, TERM first, KILL after
 *  the grace period. Every process of a run carries SKYMOUNT_RUN_GROUP (inherited by its children):
 *  a stop only signals a group that has it, never a group that merely reuses a recorded number. */
function runGroupFunctions(graceSeconds: number): string[] {
    return shellFunctions("runGroup.sh", {
        pgid_file: JOB_PGID,
        pid_file: JOB_PID,
        grace_seconds: graceSeconds,
        group_variable: "SKYMOUNT_RUN_GROUP",
    });
}

/**
 * `run` starts detached (a training job outlives `pulumi up`), logging to a file, in a session and
 * process group of its own (setsid), so that a rerun or a delete stops it and every child it forked.
 */
export function renderRunScript(run: string, dependsOn: string): string {
    return renderScript("run.sh", {
        description: "start run",
        values: { run, log: JOB_LOG, workdir: WORKDIR, depends_on: dependsOn },
        functions: [runGroupFunctions(RUN_STOP_GRACE_SECONDS)],
    });
}

export function renderStopRunScript(graceSeconds = RUN_STOP_GRACE_SECONDS): string {
    return renderScript("stopRun.sh", { description: "stop run", functions: [runGroupFunctions(graceSeconds)] });
}
