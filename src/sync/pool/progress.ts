// Progress of a sync or a server-side copy while it runs: files and bytes done of the total, and the
// rate, as one line ("1,234/10,000 files, 120 MiB/1.2 GiB, 35 MiB/s"). At most one line per interval
// while work goes on, then one final line; a sync that finishes within the first interval says only
// the final line. Where the lines go is the caller's business (the resource's log). Pure: time comes
// from `now`, so tests drive it with a fake clock.
import { sizeOfFingerprint } from "../core/fingerprint";
import type { ResourceLog } from "../../resource/engineLog";
import type { PoolTask } from "./pool";

/** Time between two progress lines: often enough to see it move, rarely enough not to flood the output. */
export const PROGRESS_INTERVAL_MS = 5_000;

/** The interval, unless SKYMOUNT_PROGRESS_SECONDS (a positive number: CI logs, tests) sets another. */
export function progressIntervalMs(env: Record<string, string | undefined> = process.env): number {
    const seconds = Number(env.SKYMOUNT_PROGRESS_SECONDS);
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : PROGRESS_INTERVAL_MS;
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** "0 B", "512 B", "1.5 KiB", "120 MiB", "1.2 GiB": one decimal below 10, none above. */
export function formatBytes(bytes: number): string {
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
        value /= 1024;
        unit++;
    }
    const digits = unit > 0 && value < 10 ? 1 : 0;
    return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

const COUNT_FORMAT = new Intl.NumberFormat("en-US");

/** "10,000". */
export function formatCount(n: number): string {
    return COUNT_FORMAT.format(n);
}

export interface ProgressLines {
    /** A line while the work goes on: replaced by the next. */
    progress(line: string): void;
    /** The last line, once everything is done or has failed. */
    final(line: string): void;
}

/** Lines on a resource's log: status lines while it runs (shown, then replaced), the final one kept. */
export function progressLines(log: ResourceLog | undefined): ProgressLines {
    return { progress: (line) => log?.status(line), final: (line) => log?.info(line) };
}

export class ProgressReporter {
    private files = 0;
    private bytes = 0;
    private readonly started: number;
    private lastLine: number;

    /**
     * @param verb what is done to each file ("uploaded", "copied"), used in the final line.
     */
    constructor(
        private readonly total: { files: number; bytes: number },
        private readonly verb: string,
        private readonly lines: ProgressLines,
        private readonly now: () => number = Date.now,
        private readonly intervalMs = PROGRESS_INTERVAL_MS,
    ) {
        this.started = now();
        this.lastLine = this.started;
    }

    /** `files` files of `bytes` in all are done (one, or a batch such as one delete request's keys); says a line when the interval has passed since the last one. */
    filesDone(files: number, bytes: number): void {
        this.files += files;
        this.bytes += bytes;
        this.tick();
    }

    /** Says a line if the interval has passed: called by a timer too, so a long single file still shows the rate. */
    tick(): void {
        const now = this.now();
        if (now - this.lastLine < this.intervalMs) return;
        this.lastLine = now;
        this.lines.progress(this.line(now));
    }

    /** The final line: what was done, in how long. */
    finish(): void {
        const now = this.now();
        const seconds = (now - this.started) / 1000;
        const incomplete = this.files < this.total.files ? ` (stopped: ${this.describeDone()})` : "";
        this.lines.final(`${this.verb} ${this.describeDone()} in ${seconds.toFixed(1)} s, ${this.rate(now)}${incomplete}`);
    }

    /** "1,234/10,000 files, 120 MiB/1.2 GiB, 35 MiB/s". */
    line(now = this.now()): string {
        return `${this.describeDone()}, ${this.rate(now)}`;
    }

    private describeDone(): string {
        return (
            `${formatCount(this.files)}/${formatCount(this.total.files)} files, ` +
            `${formatBytes(this.bytes)}/${formatBytes(this.total.bytes)}`
        );
    }

    private rate(now: number): string {
        const seconds = (now - this.started) / 1000;
        return seconds > 0 ? `${formatBytes(this.bytes / seconds)}/s` : "-";
    }
}

/** Tasks made one at a time as the pool pulls them, with their totals known up front (for the progress lines). */
export interface LazyTasks<T> {
    tasks: Iterable<T>;
    files: number;
    bytes: number;
}

/**
 * One task per file of `files`, made as the pool pulls it: a million files are not a million task
 * objects at once. Sizes (and the totals) come from each file's fingerprint: `fingerprintOf(file, i)`
 * for the file at index i.
 */
export function tasksPerFile<T extends PoolTask & { bytes: number; size?: number }>(
    files: string[],
    fingerprintOf: (file: string, index: number) => string,
    task: (file: string, size: number, fingerprint: string) => T,
): LazyTasks<T> {
    return {
        files: files.length,
        bytes: files.reduce((sum, file, i) => sum + sizeOfFingerprint(fingerprintOf(file, i)), 0),
        tasks: (function* () {
            for (let i = 0; i < files.length; i++) {
                const fingerprint = fingerprintOf(files[i], i);
                yield task(files[i], sizeOfFingerprint(fingerprint), fingerprint);
            }
        })(),
    };
}

/**
 * Runs `run` (the pool over the returned tasks) while reporting: each task counts its `size` (else
 * its `bytes`) when it is done, a timer says a line between completions, and the final line comes
 * however `run` ends. Nothing is said when there is nothing to do. The tasks keep their other
 * fields: the pool's `bytes` is what a task holds in flight, which for a multipart upload is less
 * than the file's size. Tasks given lazily (with their totals) are wrapped lazily too: a million
 * files never become a million task objects at once.
 */
export async function withProgress<T extends PoolTask>(
    given: Array<T & { bytes: number; size?: number }> | LazyTasks<T & { bytes: number; size?: number }>,
    verb: string,
    lines: ProgressLines,
    run: (tasks: Iterable<PoolTask>) => Promise<void>,
    now: () => number = Date.now,
    intervalMs = progressIntervalMs(),
): Promise<void> {
    const source = Array.isArray(given)
        ? { tasks: given, files: given.length, bytes: given.reduce((sum, t) => sum + (t.size ?? t.bytes), 0) }
        : given;
    if (source.files === 0) return run([]);
    const reporter = new ProgressReporter({ files: source.files, bytes: source.bytes }, verb, lines, now, intervalMs);
    // Checked five times per interval, so a line comes within a fifth of it when files take long.
    const timer = setInterval(() => reporter.tick(), intervalMs / 5);
    timer.unref();
    function* reporting(): Generator<PoolTask> {
        for (const task of source.tasks) {
            yield {
                ...task,
                run: async () => {
                    await task.run();
                    reporter.filesDone(1, task.size ?? task.bytes);
                },
            };
        }
    }
    try {
        await run(reporting());
    } finally {
        clearInterval(timer);
        reporter.finish();
    }
}
