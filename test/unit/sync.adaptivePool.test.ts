// The adaptive pool: its width grows while throughput grows, settles where it stops growing, halves
// when a request is throttled (once per window), stays within its bounds (the user's concurrency is
// the upper one), and a throttle reported from inside a task (a retry that saw 503 SlowDown)
// reaches the pool the task runs in, and the pools around it. Deterministic: the clock is the test's.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reportThrottle, withThrottleListener } from "../../src/internal/throttleSignal";
import { AdaptiveWidth, WINDOW_MS } from "../../src/sync/pool/adaptiveWidth";
import { runPool } from "../../src/sync/pool/pool";
import { uploadPool } from "../../src/sync/pool/transferWidths";

/** A clock the test moves. */
function fakeClock(): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
    let t = 0;
    return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) };
}

/**
 * One window of a server whose throughput is `rate(width)` tasks per window: that many tasks
 * complete over WINDOW_MS, at even steps.
 */
function runWindow(width: AdaptiveWidth, clock: ReturnType<typeof fakeClock>, tasksDone: number): void {
    const start = clock.now();
    for (let i = 1; i <= tasksDone; i++) {
        clock.set(start + (WINDOW_MS * i) / tasksDone);
        width.completed(1024);
    }
}

describe("AdaptiveWidth", () => {
    it("grows while throughput grows with the width, and settles where it stops", () => {
        const clock = fakeClock();
        const width = new AdaptiveWidth({ initial: 4, minimum: 1, maximum: 128 }, clock.now);
        // The server's capacity: throughput is proportional to the width up to 24 requests in flight.
        const seen: number[] = [];
        for (let window = 0; window < 30; window++) {
            seen.push(width.width);
            runWindow(width, clock, Math.min(width.width, 24) * 4);
        }
        assert.deepEqual(seen.slice(0, 5), [4, 6, 9, 14, 21], "widens by half per window while it pays");
        const settled = seen.slice(10).sort((a, b) => a - b);
        const median = settled[Math.floor(settled.length / 2)];
        assert.ok(median >= 21 && median <= 32, `holds near the knee (24): ${settled}`);
        assert.ok(settled.at(-1)! <= 48, `probes past it by half at most: ${settled}`);
    });

    it("halves on throttling, once per window, and never goes below its minimum", () => {
        const clock = fakeClock();
        const width = new AdaptiveWidth({ initial: 32, minimum: 3, maximum: 64 }, clock.now);
        width.throttled();
        assert.equal(width.width, 16);
        // The same burst of 503s from the other workers: no further cut within the window.
        width.throttled();
        width.throttled();
        assert.equal(width.width, 16);
        clock.advance(WINDOW_MS);
        width.throttled();
        assert.equal(width.width, 8);
        clock.advance(WINDOW_MS);
        width.throttled();
        clock.advance(WINDOW_MS);
        width.throttled();
        assert.equal(width.width, 3, "floored at the minimum");
    });

    it("after a cut, climbs back fast to below the cut and then one at a time", () => {
        const clock = fakeClock();
        const width = new AdaptiveWidth({ initial: 40, minimum: 1, maximum: 128 }, clock.now);
        width.throttled();
        assert.equal(width.width, 20);
        clock.advance(WINDOW_MS);
        const seen: number[] = [];
        for (let window = 0; window < 6; window++) {
            // Throughput keeps growing with the width: only the cut's memory slows the climb.
            runWindow(width, clock, width.width * 4);
            seen.push(width.width);
        }
        assert.deepEqual(seen, [30, 31, 32, 33, 34, 35]);
    });

    it("never exceeds its maximum (the user's concurrency)", () => {
        const clock = fakeClock();
        const width = new AdaptiveWidth({ initial: 2, minimum: 1, maximum: 5 }, clock.now);
        for (let window = 0; window < 10; window++) runWindow(width, clock, width.width * 8);
        assert.equal(width.width, 5);
        assert.equal((uploadPool(3).width as AdaptiveWidth).width, 3, "the user's bound caps the initial width too");
    });

    it("refuses bounds that are not whole numbers or out of order", () => {
        assert.throws(() => new AdaptiveWidth({ initial: 0, minimum: 1, maximum: 4 }), /initial: 0: must be a whole number >= 1/);
        assert.throws(() => new AdaptiveWidth({ initial: 2, minimum: 5, maximum: 4 }), /minimum 5 is above maximum 4/);
        assert.throws(() => uploadPool(2.5), /concurrency: 2.5: must be a whole number >= 1/);
    });
});

describe("runPool with an adaptive width", () => {
    it("runs fewer tasks at once after a task reports throttling, and more as they succeed", async () => {
        const clock = fakeClock();
        const width = new AdaptiveWidth({ initial: 8, minimum: 1, maximum: 64 }, clock.now);
        let running = 0;
        let overWidth = 0;
        let widthAfterThrottle = 0;
        // 1000 tasks; task 10 is throttled (its retry reports it, as withRetries does on a 503).
        const tasks = Array.from({ length: 1000 }, (_, i) => ({
            label: `t${i}`,
            run: async () => {
                // The pool starts a task only while fewer than the width run.
                if (++running > width.width) overWidth++;
                await new Promise((r) => setImmediate(r));
                if (i === 10) {
                    reportThrottle();
                    widthAfterThrottle = width.width;
                }
                // Each task takes the same time however many run: throughput grows with the width.
                clock.advance(40 / width.width);
                running--;
            },
        }));
        await runPool(tasks, { width });
        assert.equal(widthAfterThrottle, 4, "halved by the throttled task");
        assert.ok(width.width > 8, `grew past where it started as tasks succeeded: ${width.width}`);
        assert.equal(overWidth, 0, "never started a task beyond the width (so at most 4 right after the cut)");
    });

    it("bounds the bytes in flight, and runs a task larger than the bound alone", async () => {
        let bytes = 0;
        let peakBytes = 0;
        let aloneOk = true;
        const sizes = [40, 40, 40, 300, 40, 40, 40, 40];
        let running = 0;
        await runPool(
            sizes.map((size, i) => ({
                label: `t${i}`,
                bytes: size,
                run: async () => {
                    running++;
                    bytes += size;
                    peakBytes = Math.max(peakBytes, bytes);
                    if (size > 100 && running > 1) aloneOk = false;
                    await new Promise((r) => setTimeout(r, 2));
                    bytes -= size;
                    running--;
                },
            })),
            { width: 8, maxBytesInFlight: 100 },
        );
        assert.equal(peakBytes, 300);
        assert.ok(aloneOk, "the 300-byte task ran alone");
    });

    it("tells every enclosing pool: a throttled part narrows its file's pool and the sync's", async () => {
        const calls: string[] = [];
        await withThrottleListener(
            () => calls.push("files"),
            () =>
                withThrottleListener(
                    () => calls.push("parts"),
                    async () => reportThrottle(),
                ),
        );
        assert.deepEqual(calls, ["parts", "files"]);
        reportThrottle(); // outside any pool: nobody to tell, and no error
    });
});
