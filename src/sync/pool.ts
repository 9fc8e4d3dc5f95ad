// A bounded worker pool: `concurrency` workers pull from one shared iterator, so at most that many
// tasks run at once and memory stays bounded however many tasks there are. Every task runs or is
// skipped after a failure; failures are gathered and reported together with counts.

export class PoolError extends Error {
    constructor(
        readonly done: number,
        readonly total: number,
        readonly failures: Array<{ label: string; error: Error }>,
    ) {
        const message = `${done}/${total} done; ${failures.length} failed; first: ${failures[0].label}: ${failures[0].error.message}`;
        super(message);
        // A dynamic provider's serialized closure turns `super(message)` into `Error.call(this, message)`,
        // which sets nothing on `this`: without this line the error reaches the user as "undefined".
        this.message = message;
    }
}

export interface PoolTask {
    label: string;
    run: () => Promise<void>;
}

export async function runPool(tasks: PoolTask[], concurrency: number): Promise<void> {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency: ${concurrency}: must be a whole number >= 1`);
    const queue = tasks[Symbol.iterator]();
    const failures: Array<{ label: string; error: Error }> = [];
    let done = 0;
    const worker = async () => {
        for (let next = queue.next(); !next.done; next = queue.next()) {
            // After a failure the remaining tasks are not started: the caller reruns the whole sync.
            if (failures.length > 0) return;
            try {
                await next.value.run();
                done++;
            } catch (err) {
                failures.push({ label: next.value.label, error: err as Error });
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
    if (failures.length > 0) throw new PoolError(done, tasks.length, failures);
}
