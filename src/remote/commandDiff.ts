// What a change of a RemoteCommand's inputs means: nothing, a rerun (update), or a replacement.
// Pure, so the rules are tested without Pulumi.
import { SshConnection, sshPlaceOf } from "./connection";

/** The inputs a RemoteCommand stores and compares; `connection` is the transport's target. */
export interface RemoteCommandState<Target = SshConnection> {
    connection: Target;
    create: string;
    update?: string;
    delete?: string;
    stdin?: string;
    triggers?: unknown[];
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

/** `placeOf` says where a command runs (HostTransport.placeOf): a change there reruns it. */
export function diffRemoteCommand<Target = SshConnection>(
    olds: RemoteCommandState<Target>,
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
    return { changes: [...changes, ...replaces], replaces };
}
