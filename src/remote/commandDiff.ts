// What a change of a RemoteCommand's inputs means: nothing, a rerun (update), or a replacement.
// Pure, so the rules are tested without Pulumi.
import { SshConnection } from "./connection";

/** The inputs a RemoteCommand stores and compares. */
export interface RemoteCommandState {
    connection: SshConnection;
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

/** Where the command runs, without the fields that do not change the target (timeouts). */
function target(connection: SshConnection): unknown[] {
    return [connection.host, connection.port ?? 22, connection.user ?? "root", connection.privateKey, connection.hostKey ?? null];
}

export function diffRemoteCommand(olds: RemoteCommandState, news: RemoteCommandState): CommandDiff {
    const changes: string[] = [];
    const replaces: string[] = [];
    if (!sameJson(olds.triggers, news.triggers)) replaces.push("triggers");
    for (const field of RERUN_FIELDS) {
        if (!sameJson(olds[field], news[field])) changes.push(field);
    }
    if (!sameJson(target(olds.connection), target(news.connection))) changes.push("connection");
    return { changes: [...changes, ...replaces], replaces };
}
