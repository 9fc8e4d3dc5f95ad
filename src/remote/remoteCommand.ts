// RemoteCommand: run a command on a host over SSH as part of `pulumi up`, with create, update and
// delete scripts — the contract of @pulumi/command's remote.Command, served by a dynamic provider.
//
// Why not @pulumi/command itself: its provider plugin is a Go binary that Pulumi downloads from
// GitHub, and the registries this project may use refuse its Go module (docs/TOOLCHAIN.md). A dynamic
// provider runs inside every Pulumi install with nothing to download, and lets skymount fix two of
// remote.Command's known problems: the whole connection and stdin are stored as secrets, and a delete
// against a host that no longer answers does not block `pulumi destroy` for ever.
import * as pulumi from "@pulumi/pulumi";
import { managedResource } from "../resource/managedResource";
import { randomUUID } from "node:crypto";
import { diffRemoteCommand, RemoteCommandState } from "./commandDiff";
import { SshConnection } from "./connection";
import { describeTarget, execOverSsh, ExecResult, SshDialError } from "./sshExec";

/** How long a delete keeps trying to reach a host before it treats the host as gone. */
const DELETE_DIAL_TIMEOUT_SECONDS = 20;
/** Lines of output quoted in a failure message. */
const FAILURE_TAIL_LINES = 30;

function tail(text: string): string {
    const lines = text.split("\n");
    return lines.slice(Math.max(0, lines.length - FAILURE_TAIL_LINES)).join("\n");
}

async function runOrThrow(phase: string, connection: SshConnection, command: string, stdin?: string): Promise<ExecResult> {
    const result = await execOverSsh(connection, command, stdin);
    if (result.exitCode !== 0) {
        const output = [result.stderr, result.stdout].filter((s) => s.trim() !== "").map(tail).join("\n");
        throw new Error(`${phase} on ${describeTarget(connection)} exited with ${result.exitCode}${output ? `:\n${output}` : ""}`);
    }
    return result;
}

interface RemoteCommandOutputs extends RemoteCommandState {
    stdout: string;
    stderr: string;
}

const remoteCommandProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: RemoteCommandOutputs, news: RemoteCommandState): Promise<pulumi.dynamic.DiffResult> {
        const diff = diffRemoteCommand(olds, news);
        return { changes: diff.changes.length > 0, replaces: diff.replaces, deleteBeforeReplace: true };
    },

    async create(inputs: RemoteCommandState): Promise<pulumi.dynamic.CreateResult> {
        const result = await runOrThrow("create", inputs.connection, inputs.create, inputs.stdin);
        return { id: randomUUID(), outs: { ...inputs, stdout: result.stdout, stderr: result.stderr } };
    },

    async update(_id: string, _olds: RemoteCommandOutputs, news: RemoteCommandState): Promise<pulumi.dynamic.UpdateResult> {
        const result = await runOrThrow("update", news.connection, news.update ?? news.create, news.stdin);
        return { outs: { ...news, stdout: result.stdout, stderr: result.stderr } };
    },

    async delete(_id: string, props: RemoteCommandOutputs): Promise<void> {
        if (!props.delete) return;
        try {
            const result = await execOverSsh(props.connection, props.delete, props.stdin, DELETE_DIAL_TIMEOUT_SECONDS);
            if (result.exitCode !== 0) {
                throw new Error(`delete on ${describeTarget(props.connection)} exited with ${result.exitCode}:\n${tail(result.stderr || result.stdout)}`);
            }
        } catch (err) {
            // A host that no longer answers has nothing left to clean up: let destroy finish.
            if (err instanceof SshDialError) {
                console.error(`warning: skipped delete on ${describeTarget(props.connection)}: host unreachable (${err.message})`);
                return;
            }
            throw err;
        }
    },
};

/** An SSH connection whose fields may be Outputs (a VM's address, a generated key). */
export interface SshConnectionInput {
    host: pulumi.Input<string>;
    port?: pulumi.Input<number>;
    user?: pulumi.Input<string>;
    privateKey: pulumi.Input<string>;
    hostKey?: pulumi.Input<string>;
    dialTimeoutSeconds?: pulumi.Input<number>;
}

export interface RemoteCommandArgs {
    /** Where to run. Stored as a secret. */
    connection: pulumi.Input<SshConnectionInput>;
    /** Runs when the resource is created, and on update when `update` is not set. Must be idempotent. */
    create: pulumi.Input<string>;
    /** Runs when `create`, `update`, `delete`, `stdin` or the connection changed. Optional. Defaults to `create`. */
    update?: pulumi.Input<string>;
    /** Runs when the resource is deleted or replaced, with the connection and stdin it was created with. Optional. */
    delete?: pulumi.Input<string>;
    /** Written to the command's standard input: the way to pass secrets. Stored as a secret. Optional. */
    stdin?: pulumi.Input<string>;
    /** Any change of these values replaces the resource (delete, then create). Optional. */
    triggers?: pulumi.Input<unknown[]>;
}

export class RemoteCommand extends managedResource("RemoteCommand", remoteCommandProvider) {
    /** The command's standard output, with a trailing newline removed. */
    public readonly stdout!: pulumi.Output<string>;
    /** The command's standard error, with a trailing newline removed. */
    public readonly stderr!: pulumi.Output<string>;

    constructor(name: string, args: RemoteCommandArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            remoteCommandProvider,
            name,
            {
                ...args,
                // Secret as inputs too: state keeps inputs beside outputs, and both must be encrypted.
                connection: pulumi.secret(args.connection),
                stdin: args.stdin === undefined ? undefined : pulumi.secret(args.stdin),
                stdout: undefined,
                stderr: undefined,
            },
            {
                ...opts,
                additionalSecretOutputs: ["connection", "stdin", ...(opts?.additionalSecretOutputs ?? [])],
                // Replacing a mount must unmount the old one before the new one mounts in its place.
                deleteBeforeReplace: true,
            },
            "skymount",
            "RemoteCommand",
        );
    }
}
