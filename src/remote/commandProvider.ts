// RemoteCommand's contract, whatever carries the command to the host: create runs `create`; a change
// of scripts, stdin or place reruns `update` (else `create`); changed triggers replace (delete, then
// create); delete runs `delete` with the target and stdin it was created with, and lets destroy finish
// when the host is gone; read (refresh) runs `check` and records drift, which the next `up` repairs by
// rerunning the command. The transport (transport.ts) only reaches the host.
import type * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "node:crypto";
import { consoleLog, ResourceLog } from "../resource/engineLog";
import type { ManagedCrud } from "../resource/crudRegistry";
import { diffRemoteCommand, outputsOf, RemoteCommandOutputs, RemoteCommandState, runsCommand } from "./commandDiff";
import { DEFAULT_DIAL_TIMEOUT_SECONDS, DIAL_TIMEOUT_VARIABLE } from "./connection";
import { DEFAULT_COMMAND_LOGGING, outputForwarder, secretRedactor, withoutProgressLines } from "./outputLog";
import { ExecResult, HostTransport, HostUnreachableError } from "./transport";

/** How long a delete keeps trying to reach a host before it treats the host as gone. */
const DELETE_REACH_TIMEOUT_SECONDS = 20;
/** How long a refresh keeps trying to reach a host before it leaves the state as it was. */
const READ_REACH_TIMEOUT_SECONDS = 20;
/** The longest drift description kept in state. */
const MAX_DRIFT_CHARS = 1000;
/** Lines of output quoted in a failure message. */
const FAILURE_TAIL_LINES = 30;

function tail(text: string): string {
    const lines = text.split("\n");
    return lines.slice(Math.max(0, lines.length - FAILURE_TAIL_LINES)).join("\n");
}

type CommandOutputs<Target> = RemoteCommandOutputs<Target>;

/** A host that stayed unreachable through the whole dial timeout fails the `up` saying what to do;
 *  what cannot heal by waiting (a refused key, another host key) already says what is wrong. */
function unreachableAdvice(phase: string, target: string, err: unknown): unknown {
    if (!(err instanceof HostUnreachableError) || err.permanent) return err;
    return new Error(
        `${phase} on ${target} failed: the host did not answer (${err.message}). If it is down or its network is cut, ` +
            "bring it back and run `pulumi up` again: what finished is kept, and what did not runs then. " +
            `If it is gone for good, remove it from the program's hosts. The wait is ${DIAL_TIMEOUT_VARIABLE} (${DEFAULT_DIAL_TIMEOUT_SECONDS} s by default).`,
    );
}

/** What a failed check said: its lines (one finding each), else its exit status and error output. */
export function describeDrift(result: ExecResult): string {
    const findings = result.stdout
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "");
    const text = findings.length ? findings.join("; ") : `check exited with ${result.exitCode}: ${tail(result.stderr).trim()}`;
    return text.length > MAX_DRIFT_CHARS ? `${text.slice(0, MAX_DRIFT_CHARS - 3)}...` : text;
}

/**
 * The CRUD logic of a command resource whose `connection` is a target of `transport`. Each call may be
 * given the resource's log (resource/engineLog.ts): output is shown there as `logging` says, with
 * whatever came in on stdin blanked out, and so is the output a failure quotes.
 */
export function commandProvider<Target>(transport: HostTransport<Target>): ManagedCrud {
    async function runOrThrow(phase: string, state: RemoteCommandState<Target>, command: string, log: ResourceLog): Promise<ExecResult> {
        const redact = secretRedactor([state.stdin]);
        const forwarder = outputForwarder(state.logging ?? DEFAULT_COMMAND_LOGGING, log, redact);
        const result = await transport.exec(state.connection, command, state.stdin, undefined, forwarder.onOutput).catch((err) => {
            throw unreachableAdvice(phase, transport.describe(state.connection), err);
        });
        forwarder.end();
        if (result.exitCode !== 0) {
            const output = [result.stderr, result.stdout]
                .map(withoutProgressLines)
                .filter((s) => s.trim() !== "")
                .map(tail)
                .join("\n");
            throw new Error(
                redact(`${phase} on ${transport.describe(state.connection)} exited with ${result.exitCode}${output ? `:\n${output}` : ""}`),
            );
        }
        // Recorded without progress lines and secrets: the outputs land in state, which keeps them in plaintext.
        return { ...result, stdout: redact(withoutProgressLines(result.stdout)), stderr: redact(withoutProgressLines(result.stderr)) };
    }

    return {
        async diff(_id: string, olds: CommandOutputs<Target>, news: RemoteCommandState<Target>): Promise<pulumi.dynamic.DiffResult> {
            const diff = diffRemoteCommand(olds, news, transport.placeOf);
            return { changes: diff.changes.length > 0, replaces: diff.replaces, deleteBeforeReplace: true };
        },

        async create(inputs: RemoteCommandState<Target>, log: ResourceLog = consoleLog): Promise<pulumi.dynamic.CreateResult> {
            const result = await runOrThrow("create", inputs, inputs.create, log);
            return { id: randomUUID(), outs: outputsOf(inputs, result) };
        },

        async update(
            _id: string,
            olds: CommandOutputs<Target>,
            news: RemoteCommandState<Target>,
            log: ResourceLog = consoleLog,
        ): Promise<pulumi.dynamic.UpdateResult> {
            // Only the check changed: store it, run nothing.
            if (!runsCommand(diffRemoteCommand(olds, news, transport.placeOf))) {
                return { outs: outputsOf(news, olds) };
            }
            const result = await runOrThrow("update", news, news.update ?? news.create, log);
            return { outs: outputsOf(news, result) };
        },

        // Refresh: the host's reality, as `check` sees it. As made: the state as it is (no drift left).
        // Otherwise the state with `drift`, which makes the next diff a change. A host that cannot be
        // reached keeps its state: refresh must not drop or dirty resources because a link is down.
        async read(id: string, props: CommandOutputs<Target>, log: ResourceLog = consoleLog): Promise<pulumi.dynamic.ReadResult> {
            if (!props.check) return { id, props };
            const { drift: _previous, ...asMade } = props;
            try {
                const result = await transport.exec(props.connection, props.check, undefined, READ_REACH_TIMEOUT_SECONDS);
                return { id, props: result.exitCode === 0 ? asMade : { ...asMade, drift: describeDrift(result) } };
            } catch (err) {
                if (err instanceof HostUnreachableError) {
                    log.warn(`could not check ${transport.describe(props.connection)}: host unreachable (${err.message}); state kept`);
                    return { id, props };
                }
                throw err;
            }
        },

        async delete(_id: string, props: CommandOutputs<Target>, log: ResourceLog = consoleLog): Promise<void> {
            if (!props.delete) return;
            const redact = secretRedactor([props.stdin]);
            try {
                const forwarder = outputForwarder(props.logging ?? DEFAULT_COMMAND_LOGGING, log, redact);
                const result = await transport.exec(
                    props.connection,
                    props.delete,
                    props.stdin,
                    DELETE_REACH_TIMEOUT_SECONDS,
                    forwarder.onOutput,
                );
                forwarder.end();
                if (result.exitCode !== 0) {
                    const output = withoutProgressLines(result.stderr) || withoutProgressLines(result.stdout);
                    throw new Error(
                        redact(`delete on ${transport.describe(props.connection)} exited with ${result.exitCode}:\n${tail(output)}`),
                    );
                }
            } catch (err) {
                // A host that no longer answers has nothing left to clean up: let destroy finish.
                if (err instanceof HostUnreachableError) {
                    log.warn(`skipped delete on ${transport.describe(props.connection)}: host unreachable (${err.message})`);
                    return;
                }
                throw err;
            }
        },
    };
}
