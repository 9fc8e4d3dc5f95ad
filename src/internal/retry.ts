// Retrying a request that failed in a way that may pass on its own: the server throttled it (503
// SlowDown, 429), failed inside (500 InternalError, 502, 504), or the connection dropped (reset,
// refused, cut, timed out). Attempts are bounded; waits grow exponentially with full jitter, so
// workers throttled together do not come back together; a server's Retry-After is honoured (up to a
// cap, so a stuck server still fails the run in bounded time); and the final error says what failed,
// how many times, and the last reason. A throttled attempt is also reported to the worker pool the
// request runs in (throttleSignal.ts), which then narrows. Pure but for the clock and timers.
import { reportThrottle } from "./throttleSignal";

export interface RetryPolicy {
    /** Attempts in all, the first included. */
    attempts: number;
    /** The wait before the second attempt is up to this; it doubles for each later one. */
    baseMs: number;
    /** The longest wait between two attempts, a server's Retry-After included. */
    maxDelayMs: number;
}

/** Six attempts over at most about 16 s of waiting (0.2 + 0.4 + … + 3.2 s, jittered), unless the server asks for longer. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 6, baseMs: 200, maxDelayMs: 10_000 };

/** How one failed attempt should be treated. */
export interface RetryVerdict {
    retry: boolean;
    /** The server is overloaded (429, 503, a dropped connection): the pool should narrow. */
    throttled: boolean;
    /** What the server asked for (Retry-After), in milliseconds. */
    retryAfterMs?: number;
}

export const NOT_RETRYABLE: RetryVerdict = { retry: false, throttled: false };

/** Statuses worth another attempt: throttling and server-side failures. */
export function retryableStatus(status: number): boolean {
    return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Statuses that mean "too many requests". */
export function throttlingStatus(status: number): boolean {
    return status === 429 || status === 503;
}

const CONNECTION_CODES = ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ECONNABORTED", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"];

/** A failure of the connection rather than an answer: reset, refused, cut, timed out. */
export function isConnectionFailure(err: unknown): boolean {
    const e = err as { code?: string; name?: string; message?: string } | undefined;
    if (e === undefined || e === null) return false;
    if (e.code !== undefined && CONNECTION_CODES.includes(e.code)) return true;
    if (e.name === "TimeoutError" || e.name === "RequestTimeout") return true;
    return /socket hang up|ECONNRESET|ECONNREFUSED|EPIPE|no answer in/.test(e.message ?? "");
}

/** The verdict on an HTTP answer with `status` and its Retry-After header (if any). */
export function verdictOfStatus(status: number, retryAfter?: string, now = Date.now()): RetryVerdict {
    if (!retryableStatus(status)) return NOT_RETRYABLE;
    return { retry: true, throttled: throttlingStatus(status), retryAfterMs: retryAfterMs(retryAfter, now) };
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before attempt `attempt + 1`: full jitter over the exponential step, at least Retry-After, at most the cap. */
export function backoffMs(
    policy: RetryPolicy,
    attempt: number,
    retryAfter: number | undefined,
    random: () => number = Math.random,
): number {
    const step = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** (attempt - 1));
    const jittered = step * random();
    return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfter ?? 0));
}

/** A request that kept failing: what it was, how many attempts, and the last failure (also its `cause`). */
export class RetriesExhaustedError extends Error {
    constructor(
        readonly what: string,
        readonly attempts: number,
        readonly last: unknown,
    ) {
        super(`${what}: failed ${attempts} times; last: ${(last as Error)?.message ?? String(last)}`, { cause: last });
    }
}

export interface RetryOptions {
    policy?: RetryPolicy;
    /** For tests: the wait itself, and the jitter's random source. */
    sleep?: (ms: number) => Promise<void>;
    random?: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, `judge` says a failure is not worth retrying (that failure is
 * thrown as it is), or the attempts run out (a RetriesExhaustedError naming `what`). `attempt` is
 * called afresh each time: it must rebuild anything a failed attempt consumed (a body stream).
 */
export async function withRetries<T>(
    what: string,
    attempt: (n: number) => Promise<T>,
    judge: (err: unknown) => RetryVerdict,
    options: RetryOptions = {},
): Promise<T> {
    const policy = options.policy ?? DEFAULT_RETRY_POLICY;
    for (let n = 1; ; n++) {
        try {
            return await attempt(n);
        } catch (err) {
            const verdict = judge(err);
            if (!verdict.retry) throw err;
            if (verdict.throttled) reportThrottle();
            if (n >= policy.attempts) throw new RetriesExhaustedError(what, n, err);
            await (options.sleep ?? sleep)(backoffMs(policy, n, verdict.retryAfterMs, options.random));
        }
    }
}
