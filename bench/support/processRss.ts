// Peak memory of what `pulumi up` runs on the user's machine: the program and the dynamic
// providers are Node processes started by the Pulumi CLI, which the Automation API starts from this
// process. Sampling /proc for this process's descendants sees all of them without touching their code.
import { readdirSync, readFileSync } from "node:fs";

interface ProcessSample {
    pid: number;
    parent: number;
    command: string;
    rssBytes: number;
}

const PAGE_BYTES = 4096;

function sampleProcesses(): ProcessSample[] {
    const samples: ProcessSample[] = [];
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
            // The command sits in parentheses and may hold spaces: the fields after it are fixed.
            const close = stat.lastIndexOf(")");
            const command = stat.slice(stat.indexOf("(") + 1, close);
            const fields = stat.slice(close + 2).split(" ");
            samples.push({ pid: Number(entry), parent: Number(fields[1]), command, rssBytes: Number(fields[21]) * PAGE_BYTES });
        } catch {
            // The process ended between the listing and the read.
        }
    }
    return samples;
}

/** The Node processes below `root` (not `root` itself), with their resident memory. */
function nodeDescendants(root: number): ProcessSample[] {
    const all = sampleProcesses();
    const children = new Map<number, ProcessSample[]>();
    for (const p of all) children.set(p.parent, [...(children.get(p.parent) ?? []), p]);
    const found: ProcessSample[] = [];
    const stack = [...(children.get(root) ?? [])];
    while (stack.length > 0) {
        const p = stack.pop()!;
        if (p.command === "node" || p.command.startsWith("node ")) found.push(p);
        stack.push(...(children.get(p.pid) ?? []));
    }
    return found;
}

export interface RssPeak {
    /** The largest sum, over one sample, of every Node process below this one. */
    totalBytes: number;
    /** The largest single Node process seen. */
    largestBytes: number;
    /** Per role ("dynamic provider", "program", …), the largest resident memory one such process reached. */
    largestByRole: Record<string, number>;
    /** At the sample of the largest sum: each process's role (from its command line) and resident memory, and when (s after the start). */
    atPeak?: { seconds: number; processes: Array<{ role: string; rssBytes: number }> };
}

/** What a Node process below the benchmark is, from its command line: "program", "dynamic provider", … */
function roleOf(pid: number): string {
    try {
        const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
        if (args.includes("dynamic-provider")) return "dynamic provider";
        if (args.includes("cmd/run")) return "program";
        if (args.includes("pulumi-resource-skymount") || args.includes("provider/main")) return "skymount provider";
        return args.slice(0, 80);
    } catch {
        return "gone";
    }
}

/** "program 712 MiB + dynamic provider 352 MiB at 41.2 s": where a peak came from. */
export function describePeak(peak: RssPeak): string {
    if (!peak.atPeak) return "";
    const parts = peak.atPeak.processes.map((p) => `${p.role} ${(p.rssBytes / 2 ** 20).toFixed(0)} MiB`);
    return `${parts.join(" + ")} at ${peak.atPeak.seconds.toFixed(1)} s`;
}

/** Runs `fn` while sampling every `intervalMs`; returns its value and the peaks. */
export async function withRssPeak<T>(fn: () => Promise<T>, intervalMs = 200): Promise<{ value: T; peak: RssPeak }> {
    const peak: RssPeak = { totalBytes: 0, largestBytes: 0, largestByRole: {} };
    // A process's role, read from its command line once: it does not change.
    const roles = new Map<number, string>();
    const role = (pid: number) => roles.get(pid) ?? roles.set(pid, roleOf(pid)).get(pid)!;
    const started = Date.now();
    const sample = () => {
        const nodes = nodeDescendants(process.pid);
        const total = nodes.reduce((sum, p) => sum + p.rssBytes, 0);
        if (total > peak.totalBytes) {
            peak.totalBytes = total;
            peak.atPeak = {
                seconds: (Date.now() - started) / 1000,
                processes: nodes.map((p) => ({ role: role(p.pid), rssBytes: p.rssBytes })),
            };
        }
        for (const p of nodes) {
            peak.largestBytes = Math.max(peak.largestBytes, p.rssBytes);
            peak.largestByRole[role(p.pid)] = Math.max(peak.largestByRole[role(p.pid)] ?? 0, p.rssBytes);
        }
    };
    const timer = setInterval(sample, intervalMs);
    try {
        const value = await fn();
        sample();
        return { value, peak };
    } finally {
        clearInterval(timer);
    }
}
