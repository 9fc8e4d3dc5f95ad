// Processes and waits the testbed's parts share: a command run to its end, a detached daemon, a
// port or URL waited for, and the kill of a set of pids.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, openSync, readFileSync } from "node:fs";
import * as net from "node:net";

export function run(cmd: string, args: string[], opts: { input?: string; allowFailure?: boolean } = {}): string {
    try {
        return execFileSync(cmd, args, { input: opts.input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
    } catch (err) {
        if (opts.allowFailure) return "";
        const e = err as { stderr?: string; message: string };
        throw new Error(`${cmd} ${args.join(" ")}: ${e.stderr?.trim() || e.message}`, { cause: err });
    }
}

export function requireTool(file: string, hint: string): string {
    if (!existsSync(file)) throw new Error(`${file} is missing: ${hint}`);
    return file;
}

export function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
        const attempt = () => {
            const socket = net.connect({ host, port });
            socket.once("connect", () => {
                socket.destroy();
                resolve();
            });
            socket.once("error", () => {
                socket.destroy();
                if (Date.now() > deadline) reject(new Error(`${host}:${port} did not accept connections within ${timeoutMs} ms`));
                else setTimeout(attempt, 100);
            });
        };
        attempt();
    });
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            const res = await fetch(url);
            if (res.ok) return;
        } catch {
            // not up yet
        }
        if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
    }
}

/** Starts a long-lived process detached from this one, logging to a file; returns its pid. */
export function startDaemon(cmd: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = {}): number {
    const out = openSync(logFile, "a");
    const child = spawn(cmd, args, { detached: true, stdio: ["ignore", out, out], env: { ...process.env, ...env } });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
    return child.pid;
}

export function processCommandLine(pid: number): string {
    try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
        return "";
    }
}

/** Whether a process still runs: a zombie (a systemd host's process whose reaper went first) does not. */
export function running(pid: number): boolean {
    try {
        return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
        return false;
    }
}

export async function killAll(pids: number[]): Promise<void> {
    for (const pid of pids) {
        try {
            process.kill(pid, "SIGTERM");
        } catch {
            // already gone
        }
    }
    const deadline = Date.now() + 5000;
    while (pids.some(running) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
    }
    for (const pid of pids) {
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            // already gone
        }
    }
}
