// The soak's report: its JSON shape, the figures drawn from the faults (heal times by kind), whether
// the run passed, and the lines printed for a reader.
import type { FaultKind } from "./faults";
import type { LostFile } from "./audit";

export interface FaultRecord {
    kind: FaultKind;
    target: string;
    /** Seconds since the faults began. */
    atSeconds: number;
    downMs: number;
    detail: string;
    /** Per volume it hit: milliseconds from the fault until the volume served again (null: not within the wait). */
    healedMs: Record<string, number | null>;
    /** Agents (re)started after it: those a reboot killed. */
    agentsStarted: number;
    /** Why injecting it failed, if it did. */
    error?: string;
}

export interface HealFigures {
    count: number;
    minMs: number;
    medianMs: number;
    maxMs: number;
    /** Heals that did not come within the wait. */
    notHealed: number;
}

export interface SoakReport {
    seed: number;
    minutes: number;
    startedAt: string;
    finishedAt: string;
    /** The buckets' base name: one bucket "<bucket>-<prefix>" per volume. */
    bucket: string;
    volumes: string[];
    files: {
        written: number;
        ok: number;
        failed: number;
        failedByError: Record<string, number>;
        interruptedByReboot: number;
        unanswered: string[];
        /** Failed writes whose object is in the bucket anyway (the writer was told an error: not a loss). */
        failedYetStored: number;
    };
    reads: { verified: number; mismatchedOkFiles: string[]; mismatchedOther: number; errors: number };
    faults: { byKind: Record<string, number>; list: FaultRecord[] };
    heals: HealFigures & { byKind: Record<string, HealFigures> };
    lost: LostFile[];
    /** Per volume at the end: "" when it served a read and a write, else what failed. */
    servingAtEnd: Record<string, string>;
    agentErrors: Record<string, string>;
    passed: boolean;
}

export function healFigures(faults: FaultRecord[]): HealFigures {
    const times = faults.flatMap((f) => Object.values(f.healedMs)).filter((ms): ms is number => ms !== null);
    const notHealed = faults.flatMap((f) => Object.values(f.healedMs)).filter((ms) => ms === null).length;
    times.sort((a, b) => a - b);
    const median =
        times.length === 0
            ? 0
            : times.length % 2
              ? times[(times.length - 1) / 2]
              : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
    return { count: times.length, minMs: times[0] ?? 0, medianMs: Math.round(median), maxMs: times[times.length - 1] ?? 0, notHealed };
}

export function passed(report: Omit<SoakReport, "passed">): boolean {
    return (
        report.lost.length === 0 &&
        report.files.unanswered.length === 0 &&
        report.reads.mismatchedOkFiles.length === 0 &&
        Object.values(report.servingAtEnd).every((why) => why === "")
    );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function reportLines(report: SoakReport): string[] {
    const f = report.files;
    const heal = (h: HealFigures) =>
        `${h.count} heals, ${seconds(h.minMs)} / ${seconds(h.medianMs)} / ${seconds(h.maxMs)} (min / median / max)${h.notHealed ? `, ${h.notHealed} not healed in time` : ""}`;
    return [
        `soak: seed ${report.seed}, ${report.minutes} min of faults, buckets ${report.bucket}-*, volumes ${report.volumes.join(" ")}`,
        `soak: files written ${f.written}: ${f.ok} ok, ${f.failed} failed with an error (${Object.entries(f.failedByError)
            .map(([error, n]) => `${n} ${error}`)
            .join(
                ", ",
            )}), ${f.interruptedByReboot} cut short by a reboot, ${f.unanswered.length} never answered; ${f.failedYetStored} failed ones in the bucket anyway`,
        `soak: reads verified ${report.reads.verified}, ${report.reads.mismatchedOkFiles.length} wrong bytes of files whose write succeeded, ${report.reads.mismatchedOther} of others, ${report.reads.errors} read errors`,
        `soak: faults ${Object.entries(report.faults.byKind)
            .map(([kind, n]) => `${kind} ${n}`)
            .join(", ")}`,
        `soak: heals (fault to volume serving again): ${heal(report.heals)}`,
        ...Object.entries(report.heals.byKind).map(([kind, h]) => `soak:   ${kind}: ${heal(h)}`),
        `soak: files lost: ${report.lost.length}${report.lost.length ? ` (${report.lost.map((l) => `${l.key}: ${l.why}`).join("; ")})` : ""}`,
        `soak: volumes serving at the end: ${Object.entries(report.servingAtEnd)
            .map(([volume, why]) => `${volume} ${why === "" ? "yes" : `NO (${why})`}`)
            .join(", ")}`,
        `soak: ${report.passed ? "PASSED" : "FAILED"}`,
    ];
}
