// RemoteCommand: run a command on a host over SSH as part of `pulumi up`, with create, update and
// delete scripts — the contract of @pulumi/command's remote.Command (commandProvider.ts), over the
// SSH transport (sshTransport.ts), served by a dynamic provider.
//
// Why not @pulumi/command itself: its provider plugin is a Go binary that Pulumi downloads from
// GitHub, and the registries this project may use refuse its Go module (docs/TOOLCHAIN.md). A dynamic
// provider runs inside every Pulumi install with nothing to download, and lets skymount fix two of
// remote.Command's known problems: the whole connection and stdin are stored as secrets, and a delete
// against a host that no longer answers does not block `pulumi destroy` for ever.
import * as pulumi from "@pulumi/pulumi";
import type { SshHost } from "../model/host";
import { managedResource } from "../resource/managedResource";
import { commandProvider } from "./commandProvider";
import type { CommandLogging } from "./outputLog";
import { sshTransport } from "./sshTransport";

/** RemoteCommand's CRUD: the command contract over SSH. */
export const remoteCommandProvider = commandProvider(sshTransport);

/** An SSH connection whose fields may be Outputs (a VM's address, a generated key): a host's, and how long to dial. */
export type SshConnectionInput = Omit<SshHost, "name"> & { dialTimeoutSeconds?: pulumi.Input<number> };

/** The connection to one of the components' hosts: its fields, without its name. */
export function connectionOf({ host, port, user, privateKey, hostKey }: SshHost): SshConnectionInput {
    return { host, port, user, privateKey, hostKey };
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
    /**
     * Run by `pulumi refresh`: prints what the command made as it is now and exits non-zero when it is
     * no longer as made; the next `up` then reruns the command. Changing it alone runs nothing.
     * Optional. Defaults to no drift detection.
     */
    check?: pulumi.Input<string>;
    /**
     * What of the command's output `pulumi up` shows on this resource while it runs: "progress" (the
     * lines the command prints as `skymount-progress: …`, as status lines), "stdout", "stderr" or
     * "stdoutAndStderr" (every such line as well, kept in the diagnostics), or "none". Whatever it says,
     * a failing command's output is quoted in its error, and text that came in on `stdin` is shown as
     * "[secret]". Changing it alone runs nothing. Optional. Defaults to "progress".
     */
    logging?: pulumi.Input<CommandLogging>;
}

export class RemoteCommand extends managedResource("RemoteCommand", remoteCommandProvider, { logs: true }) {
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
                // scriptDigests: a digest of a script given as a secret must not confirm guesses of it.
                additionalSecretOutputs: ["connection", "stdin", "scriptDigests", ...(opts?.additionalSecretOutputs ?? [])],
                // Replacing a mount must unmount the old one before the new one mounts in its place.
                deleteBeforeReplace: true,
            },
            "skymount",
            "RemoteCommand",
        );
    }
}
