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
}

/** Runs `fn` while sampling every `intervalMs`; returns its value and the peaks. */
export async function withRssPeak<T>(fn: () => Promise<T>, intervalMs = 200): Promise<{ value: T; peak: RssPeak }> {
    const peak: RssPeak = { totalBytes: 0, largestBytes: 0 };
    const sample = () => {
        const nodes = nodeDescendants(process.pid);
        peak.totalBytes = Math.max(
            peak.totalBytes,
            nodes.reduce((sum, p) => sum + p.rssBytes, 0),
        );
        for (const p of nodes) peak.largestBytes = Math.max(peak.largestBytes, p.rssBytes);
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
