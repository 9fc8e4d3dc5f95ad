// Retries for requests made with the AWS SDK's S3 client. A request without a streamed body (a
// server-side copy, a listing, a delete, a record) is retried by the SDK's own retry strategy (the
// client's `maxAttempts`, standard mode: backoff with jitter on throttling, 5xx and dropped
// connections); sendRetriedBySdk only tells the pool when that took more than one attempt. This
// helper (internal/retry.ts has the policy) remains for one reason: uploads go through a client whose
// own retries are off (`maxAttempts: 1`), because the SDK retries a request with the body it was
// given, a file stream it has already consumed. Here each attempt builds its command afresh (a new
// stream), throttling (503 SlowDown, 429) narrows the pool the request runs in, and the final error
// says what failed how many times.
import { isConnectionFailure, NOT_RETRYABLE, retryAfterMs, RetryOptions, RetryVerdict, withRetries } from "../../internal/retry";
import { reportThrottle } from "../../internal/throttleSignal";

/** Error names S3 and S3-compatible servers use for "too many requests". (Arrays, not Sets: see internal/retry.ts.) */
const THROTTLING_NAMES = ["SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException"];
/** Error names for a failure inside the server or a request it timed out: worth another attempt. */
const TRANSIENT_NAMES = ["InternalError", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException"];

interface SdkError {
    name?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { headers?: Record<string, string | undefined> };
}

/** How to treat a failed SDK request: throttled, transient, or final (4xx, anything else). */
export function verdictOfS3Error(err: unknown): RetryVerdict {
    const e = (err ?? {}) as SdkError;
    const status = e.$metadata?.httpStatusCode;
    const retryAfter = retryAfterMs(e.$response?.headers?.["retry-after"]);
    if (status === 429 || status === 503 || THROTTLING_NAMES.includes(e.name ?? ""))
        return { retry: true, throttled: true, retryAfterMs: retryAfter };
    if (status === 500 || status === 502 || status === 504 || TRANSIENT_NAMES.includes(e.name ?? "")) {
        return { retry: true, throttled: false, retryAfterMs: retryAfter };
    }
    // A dropped connection under load is the server's way of saying "too many": narrow too.
    if (status === undefined && isConnectionFailure(err)) return { retry: true, throttled: true };
    return NOT_RETRYABLE;
}

/**
 * Runs `send` (one SDK request, its command and body built inside it, so afresh on each attempt)
 * again while it fails in a retryable way. `what` names the request in the final error ("PUT bucket/key").
 * Through a client with the SDK's own retries on (server-side copies, whose requests carry no
 * stream), an answer that took the SDK more than one attempt is reported as throttling too, so
 * the pool narrows before the SDK gives up.
 */
export async function sendWithRetries<T>(what: string, send: () => Promise<T>, options?: RetryOptions): Promise<T> {
    return reportedIfRetried(await withRetries(what, send, verdictOfS3Error, options));
}

/**
 * One SDK request without a streamed body, retried by the SDK's own strategy. An answer that took it
 * more than one attempt is reported as throttling, so the pool the request runs in narrows.
 */
export async function sendRetriedBySdk<T>(send: () => Promise<T>): Promise<T> {
    return reportedIfRetried(await send());
}

function reportedIfRetried<T>(result: T): T {
    if (((result as { $metadata?: { attempts?: number } })?.$metadata?.attempts ?? 1) > 1) reportThrottle();
    return result;
}
