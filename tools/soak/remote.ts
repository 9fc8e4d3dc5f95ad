// Commands on the soak's test hosts, through the machine's ssh client: output of any size (the
// writers' logs run to megabytes) and a deadline on every command, so a host whose link is cut or
// that is rebooting makes a command fail, not hang the soak.
import { execFile } from "node:child_process";
import type { TestbedHost } from "../testbed/info";

export interface RemoteResult {
    ok: boolean;
    stdout: string;
    /** stderr, or why the command did not finish (its deadline, the login refused). */
    error: string;
}

const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export function onHost(host: TestbedHost, command: string, options: { stdin?: string; timeoutMs?: number } = {}): Promise<RemoteResult> {
    const args = [
        ...["-i", host.privateKeyPath, "-p", String(host.port)],
        ...["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"],
        ...["-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=2"],
        `${host.user}@${host.address}`,
        command,
    ];
    return new Promise((resolve) => {
        const child = execFile(
            "ssh",
            args,
            { encoding: "utf8", maxBuffer: MAX_OUTPUT_BYTES, timeout: options.timeoutMs ?? 30_000, killSignal: "SIGKILL" },
            (err, stdout, stderr) => {
                const why = err ? (err.killed ? `no answer within ${options.timeoutMs ?? 30_000} ms` : stderr.trim() || err.message) : "";
                resolve({ ok: !err, stdout, error: why });
            },
        );
        // A command that ends (or a login that fails) before reading its input closes the pipe: not an error of ours.
        child.stdin?.on("error", () => undefined);
        child.stdin?.end(options.stdin ?? "");
    });
}

/** Like onHost, but throws when the command fails: for steps the soak cannot go on without. */
export async function mustOnHost(
    host: TestbedHost,
    command: string,
    options: { stdin?: string; timeoutMs?: number } = {},
): Promise<string> {
    const result = await onHost(host, command, options);
    if (!result.ok) throw new Error(`${host.name}: \`${command.split("\n")[0]}\`: ${result.error}`);
    return result.stdout;
}
