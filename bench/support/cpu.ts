// Where a benchmark's CPU time went, from /proc: the whole machine's busy time (all cores), and the
// CPU seconds of given processes with the children they have waited for. On the testbed every host
// is a network namespace on this same machine, so a fleet's bootstrap shares its cores with the
// engine; these numbers say whether a run was bound by the cores rather than by waiting.
import { cpus } from "node:os";
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc's times (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface MachineCpu {
    /** Seconds the cores were busy (user, nice, system, irq, softirq, steal), summed over cores. */
    busy: number;
    /** Seconds the cores were idle or waiting for I/O, summed over cores. */
    idle: number;
}

/** The machine's CPU times since boot (/proc/stat). */
export function machineCpu(): MachineCpu {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
    return { busy: (user + nice + system + irq + softirq + (steal ?? 0)) / TICKS_PER_SECOND, idle: (idle + iowait) / TICKS_PER_SECOND };
}

/** CPU seconds of `pid` itself and of the children it waited for (utime, stime, cutime, cstime); 0 once it is gone. */
export function processCpuSeconds(pid: number | "self"): number {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // After the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
        return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
    } catch {
        return 0;
    }
}

/** What the cores did over an interval: busy seconds, and the share of all cores' time that was busy. */
export function cpuBetween(start: MachineCpu, end: MachineCpu): { busySeconds: number; busyShare: number; cores: number } {
    const busy = end.busy - start.busy;
    const idle = end.idle - start.idle;
    return { busySeconds: busy, busyShare: busy + idle > 0 ? busy / (busy + idle) : 0, cores: cpus().length };
}
