// What a change of a RemoteCommand's inputs means: nothing, a rerun (update), or a replacement.
// Pure, so the rules are tested without Pulumi.
import { SshConnection, sshPlaceOf } from "./connection";
import type { CommandLogging } from "./outputLog";

/** The inputs a RemoteCommand stores and compares; `connection` is the transport's target. */
export interface RemoteCommandState<Target = SshConnection> {
    connection: Target;
    create: string;
    update?: string;
    delete?: string;
    stdin?: string;
    triggers?: unknown[];
    /**
     * Prints what the command made as it is on the host now, exiting non-zero when it is no longer as
     * made: `read` runs it (`pulumi refresh`). Optional: without it, refresh reports no drift.
     */
    check?: string;
    /** What of the output is shown on the resource while the command runs (outputLog.ts). Changing it alone runs nothing. */
    logging?: CommandLogging;
}

/** What a RemoteCommand keeps in state: its inputs, its output, and what refresh found. */
export interface RemoteCommandOutputs<Target = SshConnection> extends RemoteCommandState<Target> {
    stdout: string;
    stderr: string;
    /** Set by `read` when `check` found the host's reality differing from what the command left; the
     *  next `up` reruns the command (update, else create), whose outputs no longer carry it. */
    drift?: string;
}

export interface CommandDiff {
    /** Input names whose change reruns the command (update, else create). */
    changes: string[];
    /** Input names whose change replaces the resource (delete, then create). */
    replaces: string[];
}

const RERUN_FIELDS = ["create", "update", "delete", "stdin"] as const;

function sameJson(a: unknown, b: unknown): boolean {
    return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * `placeOf` says where a command runs (HostTransport.placeOf): a change there reruns it. Drift found by
 * refresh reruns it too. A new `check` alone is a change that runs nothing (see `runsCommand`): the
 * stored check is replaced, so refresh asks the new question.
 */
export function diffRemoteCommand<Target = SshConnection>(
    olds: RemoteCommandState<Target> & { drift?: string },
    news: RemoteCommandState<Target>,
    placeOf: (target: Target) => unknown[] = sshPlaceOf as (target: Target) => unknown[],
): CommandDiff {
    const changes: string[] = [];
    const replaces: string[] = [];
    if (!sameJson(olds.triggers, news.triggers)) replaces.push("triggers");
    for (const field of RERUN_FIELDS) {
        if (!sameJson(olds[field], news[field])) changes.push(field);
    }
    if (!sameJson(placeOf(olds.connection), placeOf(news.connection))) changes.push("connection");
    if (olds.drift) changes.push("drift");
    if (!sameJson(olds.check, news.check)) changes.push("check");
    return { changes: [...changes, ...replaces], replaces };
}

/** Whether an update runs the command: anything but a new `check` alone does. */
export function runsCommand(diff: CommandDiff): boolean {
    return diff.changes.some((field) => field !== "check");
}
