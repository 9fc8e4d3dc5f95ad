// A bounded worker pool: tasks are pulled from one shared iterator, so at most `concurrency` run at
// once and memory stays bounded however many tasks there are. The width is fixed (a number) or
// adaptive (an AdaptiveWidth, adaptiveWidth.ts: it grows while throughput grows and halves when a
// request inside a task is throttled, which the task's retries report through throttleSignal.ts).
// Tasks may say how many bytes they hold in flight; `maxBytesInFlight` then bounds their sum (a task
// larger than the bound runs alone). Every task runs or is skipped after a failure; failures are
// gathered and reported together with counts.
import { withThrottleListener } from "../../internal/throttleSignal";
import { AdaptiveWidth } from "./adaptiveWidth";

export class PoolError extends Error {
    constructor(
        readonly done: number,
        readonly total: number,
        readonly failures: Array<{ label: string; error: Error }>,
    ) {
        super(`${done}/${total} done; ${failures.length} failed; first: ${failures[0].label}: ${failures[0].error.message}`);
    }
}

export interface PoolTask {
    label: string;
    run: () => Promise<void>;
    /** What the task holds in flight while it runs (a file's bytes), for `maxBytesInFlight` and the adaptive width's throughput. */
    bytes?: number;
}

export interface PoolOptions {
    /** Tasks in flight: a fixed number, or a width that adapts to throughput and throttling. */
    width: number | AdaptiveWidth;
    /** At most this many bytes (tasks' `bytes`) in flight; a larger task runs alone. */
    maxBytesInFlight?: number;
}

export async function runPool(tasks: Iterable<PoolTask>, concurrency: number | PoolOptions): Promise<void> {
    const options = typeof concurrency === "number" ? { width: concurrency } : concurrency;
    const fixed = typeof options.width === "number" ? options.width : undefined;
    if (fixed !== undefined && (!Number.isInteger(fixed) || fixed < 1))
        throw new Error(`concurrency: ${fixed}: must be a whole number >= 1`);
    const adaptive = typeof options.width === "number" ? undefined : options.width;
    const width = () => fixed ?? adaptive!.width;
    const maxBytes = options.maxBytesInFlight ?? Infinity;
    const onThrottle = adaptive ? () => adaptive.throttled() : undefined;

    const queue = tasks[Symbol.iterator]();
    let lookahead: PoolTask | undefined;
    let exhausted = false;
    const peek = (): PoolTask | undefined => {
        if (lookahead === undefined && !exhausted) {
            const next = queue.next();
            if (next.done) exhausted = true;
            else lookahead = next.value;
        }
        return lookahead;
    };

    const failures: Array<{ label: string; error: Error }> = [];
    let started = 0;
    let done = 0;
    let inFlight = 0;
    let bytesInFlight = 0;
    await new Promise<void>((resolve) => {
        const pump = (): void => {
            // After a failure the remaining tasks are not started: the caller reruns the whole sync.
            while (failures.length === 0 && inFlight < width()) {
                const task = peek();
                if (task === undefined) break;
                const bytes = task.bytes ?? 0;
                if (inFlight > 0 && bytesInFlight + bytes > maxBytes) break;
                lookahead = undefined;
                started++;
                inFlight++;
                bytesInFlight += bytes;
                const run = async () => task.run();
                (onThrottle ? withThrottleListener(onThrottle, run) : run())
                    .then(
                        () => {
                            done++;
                            adaptive?.completed(bytes);
                        },
                        (err: unknown) => void failures.push({ label: task.label, error: err as Error }),
                    )
                    .finally(() => {
                        inFlight--;
                        bytesInFlight -= bytes;
                        pump();
                    });
            }
            if (inFlight === 0) resolve();
        };
        pump();
    });
    if (failures.length > 0) {
        // Count what was never pulled too, so the report says how much of the whole was done.
        let total = started;
        if (lookahead !== undefined) total++;
        if (!exhausted) for (let next = queue.next(); !next.done; next = queue.next()) total++;
        throw new PoolError(done, total, failures);
    }
}
