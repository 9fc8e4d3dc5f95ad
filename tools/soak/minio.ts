// The testbed's MinIO stopped and started again, as the soak's store fault: the running server is
// found by its command line (`minio server` on the testbed's bridge address, as the testbed finds
// it), and started again with the same arguments, environment (its credentials) and log file.
import { spawn } from "node:child_process";
import { openSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mentionsAddress } from "../testbed/instance";
import { processCommandLine, running, waitForHttp } from "../testbed/processes";

export interface StoppedServer {
    argv: string[];
    env: NodeJS.ProcessEnv;
    logFile: string;
}

function serverPid(address: string): number | undefined {
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const cmdline = processCommandLine(Number(entry));
        if (/\bminio server\b/.test(cmdline) && mentionsAddress(cmdline, address)) return Number(entry);
    }
    return undefined;
}

/** Stops the MinIO that serves `endpoint` (SIGTERM, then SIGKILL after 10 s) and returns how to start it again. */
export async function stopMinio(endpoint: string): Promise<StoppedServer> {
    const address = new URL(endpoint).hostname;
    const pid = serverPid(address);
    if (pid === undefined) throw new Error(`no MinIO serves ${endpoint}`);
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const env = Object.fromEntries(
        readFileSync(`/proc/${pid}/environ`, "utf8")
            .split("\0")
            .filter((pair) => pair.includes("="))
            .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
    );
    const logFile = readlinkSync(`/proc/${pid}/fd/1`);
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + 10_000;
    while (running(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (running(pid)) process.kill(pid, "SIGKILL");
    return { argv, env, logFile };
}

/** Starts a stopped MinIO again, detached (the testbed's `down` finds it like the first), and waits until it is ready. */
export async function startMinio(stopped: StoppedServer, endpoint: string): Promise<void> {
    const out = openSync(stopped.logFile, "a");
    const child = spawn(stopped.argv[0], stopped.argv.slice(1), { detached: true, stdio: ["ignore", out, out], env: stopped.env });
    child.unref();
    await waitForHttp(`${endpoint}/minio/health/ready`, 60_000);
}

/** Whether MinIO serves `endpoint` (for the quiesce, which brings it back if a fault left it down). */
export function minioRunning(endpoint: string): boolean {
    return serverPid(new URL(endpoint).hostname) !== undefined;
}
