// How many requests a pool keeps in flight, found while it runs instead of fixed in advance: a
// fixed 16 starves a link that large objects could fill and overloads a server that small ones
// throttle. The width is a hill climb on measured throughput (bytes moved plus a per-request cost,
// per millisecond, over windows of at least WINDOW_MS): it widens by half while each widening pays
// (throughput grows by at least a fifth as much as the width did), returns to the best width found
// when one does not (and probes again now and then), and halves when the server throttles a request
// (at most once per window, as TCP halves once per round trip, so one burst of 503s from many
// workers at once cuts once). After a cut it climbs by half again only up to two thirds of the
// width it was cut at, then one at a time. It stays between its bounds; the upper one is the
// user's `concurrency` when set. The clock is injected so tests are deterministic.

export interface WidthBounds {
    initial: number;
    minimum: number;
    maximum: number;
}

/** Shortest measuring window: long enough to smooth single requests, short enough to climb in a few seconds. */
export const WINDOW_MS = 250;
/** A widening pays if throughput grows by at least this share of the width's growth (+50% width: +10%). */
const GAIN_SHARE = 0.2;
/** At the best width, a window this much faster than the best says conditions changed: widen again. */
const GAIN = 1.1;
/** Each widening adds half the width (at least one). */
const GROWTH = 1.5;
/** What one request costs beyond its bytes, in bytes: the round trip, headers, signing, the server's per-object work. */
export const REQUEST_COST_BYTES = 64 * 1024;
/** Each window at the best width lowers the bar a little, so the climb is tried again when conditions change. */
const BEST_DECAY = 0.98;

export class AdaptiveWidth {
    private current: number;
    private windowStart: number;
    private windowCost = 0;
    private windowTasks = 0;
    private bestRate = 0;
    private bestWidth: number;
    /** No growth and no second cut before this time: the window after a cut. */
    private calmUntil = -Infinity;
    /** The width at the last cut: past half of it the climb goes one at a time (TCP's congestion avoidance). */
    private throttledAt = Infinity;

    constructor(
        private readonly bounds: WidthBounds,
        private readonly clock: () => number = () => performance.now(),
    ) {
        for (const [name, value] of Object.entries(bounds)) {
            if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: ${value}: must be a whole number >= 1`);
        }
        if (bounds.minimum > bounds.maximum) throw new Error(`minimum ${bounds.minimum} is above maximum ${bounds.maximum}`);
        this.current = this.clamp(bounds.initial);
        this.bestWidth = this.current;
        this.windowStart = clock();
    }

    /** Tasks to keep in flight now. */
    get width(): number {
        return this.current;
    }

    /** A task finished, having moved `bytes`. */
    completed(bytes = 0): void {
        this.windowCost += bytes + REQUEST_COST_BYTES;
        this.windowTasks++;
        const now = this.clock();
        const elapsed = now - this.windowStart;
        // A window holds at least one round of the width (or 8 tasks), so a rate is not one task's luck.
        if (elapsed < WINDOW_MS || this.windowTasks < Math.min(this.current, 8)) return;
        const rate = this.windowCost / elapsed;
        this.startWindow(now);
        if (now < this.calmUntil) return;
        const needed = this.current > this.bestWidth ? 1 + (GAIN_SHARE * (this.current - this.bestWidth)) / this.bestWidth : GAIN;
        if (rate >= this.bestRate * needed) {
            this.bestRate = rate;
            this.bestWidth = this.current;
            const cautious = this.current * GROWTH >= this.throttledAt;
            this.current = this.clamp(cautious ? this.current + 1 : Math.max(this.current + 1, Math.round(this.current * GROWTH)));
        } else {
            this.current = this.bestWidth;
            this.bestRate *= BEST_DECAY;
        }
    }

    /** The server throttled a request: halve, once per window. */
    throttled(): void {
        const now = this.clock();
        if (now < this.calmUntil) return;
        this.throttledAt = this.current;
        this.current = this.clamp(Math.floor(this.current / 2));
        this.bestWidth = this.current;
        // The rate measured at the old width no longer says anything: climb again from here.
        this.bestRate = 0;
        this.calmUntil = now + WINDOW_MS;
        this.startWindow(now);
    }

    private startWindow(now: number): void {
        this.windowStart = now;
        this.windowCost = 0;
        this.windowTasks = 0;
    }

    private clamp(width: number): number {
        return Math.min(this.bounds.maximum, Math.max(this.bounds.minimum, width));
    }
}
