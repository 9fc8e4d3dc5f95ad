// Runs one command on a host over SSH (ssh2, pure JavaScript: the key stays in memory, no ssh
// binary or key file is needed where Pulumi runs). What sshTransport.ts runs commands with.
import type { Client } from "ssh2";
import { StringDecoder } from "node:string_decoder";
import { DEFAULT_DIAL_TIMEOUT_SECONDS, DEFAULT_SSH_PORT, DEFAULT_SSH_USER, DIAL_TIMEOUT_VARIABLE, SshConnection } from "./connection";
import { classifyDialError, DialError } from "./sshErrors";
import { hostKeyBlob, hostKeyProblem, privateKeyProblem } from "./sshKeys";
import { ExecResult, HostUnreachableError, OutputListener } from "./transport";

export { ExecResult };

/** Output kept per stream; a command's output lands in state, so it is bounded. */
const MAX_OUTPUT_BYTES = 256 * 1024;
const PER_DIAL_TIMEOUT_MS = 15_000;
const DIAL_RETRY_DELAY_MS = 1_000;

export function describeTarget(connection: SshConnection): string {
    return `${connection.user ?? DEFAULT_SSH_USER}@${connection.host}:${connection.port ?? DEFAULT_SSH_PORT}`;
}

function dialOnce(connection: SshConnection): Promise<Client> {
    const expected = connection.hostKey ? hostKeyBlob(connection.hostKey) : undefined;
    return new Promise((resolve, reject) => {
        // ssh2 loads when a command runs, not when skymount is imported (see clients/s3Sdk.ts).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const client: Client = new (require("ssh2") as typeof import("ssh2")).Client();
        client.once("ready", () => resolve(client));
        // Every error, not only the first: a host that closes the connection mid-handshake (it is
        // rebooting) can emit a second one after a timeout, which without a listener would crash the process.
        client.on("error", (err: Error) => {
            client.end();
            reject(err);
        });
        client.connect({
            host: connection.host,
            port: connection.port ?? DEFAULT_SSH_PORT,
            username: connection.user ?? DEFAULT_SSH_USER,
            privateKey: connection.privateKey,
            readyTimeout: PER_DIAL_TIMEOUT_MS,
            keepaliveInterval: 15_000,
            hostVerifier: expected ? (key: Buffer) => key.equals(expected) : undefined,
        });
    });
}

/** What no dial can fix, found before dialing: a key or host key line that does not parse. */
function connectionProblem(connection: SshConnection): string | undefined {
    if (typeof connection.host !== "string" || connection.host.trim() === "") return "no host address";
    const port = connection.port ?? DEFAULT_SSH_PORT;
    if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${port} is not a TCP port (1-65535)`;
    const keyProblem = privateKeyProblem(connection.privateKey);
    if (keyProblem) return `the private key does not parse (${keyProblem})`;
    const hostKeyRule = connection.hostKey ? hostKeyProblem(connection.hostKey) : undefined;
    if (hostKeyRule) return `hostKey ${hostKeyRule}`;
    return undefined;
}

/** The dial timeout the environment sets (DIAL_TIMEOUT_VARIABLE), else the default. A value that is
 *  not a positive number fails every dial, naming the variable. */
function dialTimeoutOfEnvironment(): number {
    const given = process.env[DIAL_TIMEOUT_VARIABLE];
    if (given === undefined || given === "") return DEFAULT_DIAL_TIMEOUT_SECONDS;
    const seconds = Number(given);
    if (!(seconds > 0)) throw new HostUnreachableError(`${DIAL_TIMEOUT_VARIABLE}: ${given}: must be a positive number of seconds`, true);
    return seconds;
}

/**
 * Connects, retrying until the dial timeout what can heal (a new VM refuses SSH for a while after it
 * starts); fails at once, naming the host, on what cannot (sshErrors.ts).
 */
export async function dial(connection: SshConnection, timeoutSeconds?: number): Promise<Client> {
    const target = describeTarget(connection);
    const problem = connectionProblem(connection);
    if (problem) throw new HostUnreachableError(`${target}: ${problem}`, true);
    const seconds = timeoutSeconds ?? connection.dialTimeoutSeconds ?? dialTimeoutOfEnvironment();
    const deadline = Date.now() + 1000 * seconds;
    for (let attempt = 1; ; attempt++) {
        try {
            return await dialOnce(connection);
        } catch (err) {
            const failure = classifyDialError(err as DialError);
            if (failure.permanent) throw new HostUnreachableError(`${target}: ${failure.reason}`, true);
            if (Date.now() + DIAL_RETRY_DELAY_MS >= deadline) {
                throw new HostUnreachableError(`could not connect in ${seconds} s (${attempt} attempts): ${target}: ${failure.reason}`);
            }
            await new Promise((r) => setTimeout(r, DIAL_RETRY_DELAY_MS));
        }
    }
}

function appendBounded(current: string, chunk: Buffer): string {
    const next = current + chunk.toString("utf8");
    return next.length > MAX_OUTPUT_BYTES ? next.slice(next.length - MAX_OUTPUT_BYTES) : next;
}

/** Runs `command` through the login shell; `stdin`, if given, is written to it and closed; `onOutput` sees output as it comes. */
export function execOnClient(client: Client, command: string, stdin?: string, onOutput?: OutputListener): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
        client.exec(command, (err, stream) => {
            if (err) return reject(err);
            let stdout = "";
            let stderr = "";
            let exitCode: number | undefined;
            // A character split between two chunks is passed on whole, with the second.
            const decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
            stream.on("data", (chunk: Buffer) => {
                stdout = appendBounded(stdout, chunk);
                onOutput?.("stdout", decoders.stdout.write(chunk));
            });
            stream.stderr.on("data", (chunk: Buffer) => {
                stderr = appendBounded(stderr, chunk);
                onOutput?.("stderr", decoders.stderr.write(chunk));
            });
            stream.on("exit", (code: number | null, signal?: string) => {
                exitCode = code ?? (signal ? 128 : 255);
            });
            stream.on("close", () =>
                resolve({ stdout: stdout.replace(/\n$/, ""), stderr: stderr.replace(/\n$/, ""), exitCode: exitCode ?? 255 }),
            );
            stream.end(stdin ?? "");
        });
    });
}

/** Dials, runs one command, and disconnects. */
export async function execOverSsh(
    connection: SshConnection,
    command: string,
    stdin?: string,
    dialTimeoutSeconds?: number,
    onOutput?: OutputListener,
): Promise<ExecResult> {
    const client = await dial(connection, dialTimeoutSeconds);
    try {
        return await execOnClient(client, command, stdin, onOutput);
    } finally {
        client.end();
    }
}
