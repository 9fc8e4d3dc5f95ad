// A PUT of a small object as one SigV4-signed request over node:http(s), for syncs of many small
// files. The AWS SDK spends about 0.9 ms of CPU per request in its middleware stack, which on a
// 2-core machine made 10,000 small files CPU-bound (bench/README.md: 9.2 s of CPU against 2.0 s for
// this path). The signature is the SDK's own signer (@smithy/signature-v4), called directly: about
// 25 us per request, where the middleware stack around it costs the rest. Only plain PUTs of
// buffered bodies go this way; anything it does not expect (a redirect, an error code other than a
// retryable one) is handed back to the caller, which uses the SDK instead, so behaviour on every
// store stays the SDK's. Throttling (503 SlowDown, 429), server failures (500, 502, 504) and dropped
// connections are retried with backoff (internal/retry.ts); when the attempts run out the error says
// so, and is not handed back: the SDK would only retry the same server again.
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { createHash } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import {
    isConnectionFailure,
    NOT_RETRYABLE,
    RetriesExhaustedError,
    RetryOptions,
    RetryVerdict,
    verdictOfStatus,
    withRetries,
} from "../../internal/retry";
import type { S3Endpoint } from "../../clients/s3Client";

/** An S3 endpoint with static keys. */
export type SignedPutTarget = S3Endpoint & { accessKey: string; secretKey: string };

/** The request was not accepted in a way this path handles: use the SDK for it. */
export class UnhandledPutError extends Error {}

/** An answer other than 200, as one attempt's failure. */
class PutAnswer extends Error {
    constructor(
        readonly status: number,
        readonly text: string,
        readonly retryAfter: string | undefined,
    ) {
        super(`HTTP ${status} ${text.slice(0, 300)}`);
    }
}

function verdictOfPut(err: unknown): RetryVerdict {
    if (err instanceof PutAnswer) return verdictOfStatus(err.status, err.retryAfter);
    return isConnectionFailure(err) ? { retry: true, throttled: true } : NOT_RETRYABLE;
}

/** RFC 3986 encoding of one path segment, as SigV4's canonical URI wants it. */
export function encodeSegment(segment: string): string {
    return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface SignedRequest {
    url: URL;
    headers: Record<string, string>;
}

/**
 * The signer of one target's PUTs, made once per putter: @smithy/signature-v4 derives the day's
 * signing key once and caches it, so a request costs two hashes (the body, the canonical request)
 * and two HMACs (the key cache's lookup, the signature): about 25 us of CPU, against 10 us for the
 * hand-written signer it replaced (bench/README.md), on a path whose request costs about 200 us.
 */
export function putSigner(target: SignedPutTarget): SignatureV4 {
    return new SignatureV4({
        credentials: { accessKeyId: target.accessKey, secretAccessKey: target.secretKey },
        region: target.region,
        service: "s3",
        sha256: Sha256,
        // The path is encoded once, here, as S3 wants it (the SDK's S3 client signs it unescaped too).
        uriEscapePath: false,
    });
}

/** The URL and headers of a signed PUT (pure but for the clock, which the caller passes). */
export async function signPut(
    target: SignedPutTarget,
    bucket: string,
    key: string,
    body: Buffer,
    now: Date,
    signer: SignatureV4,
): Promise<SignedRequest> {
    const base = new URL(target.endpoint ?? `https://s3.${target.region}.amazonaws.com`);
    // Virtual-host addressing needs the bucket to be a DNS label; dotted names go path-style over TLS.
    const virtualHost = !target.pathStyle && !bucket.includes(".");
    const basePath = base.pathname.replace(/\/+$/, "");
    const keyPath = key.split("/").map(encodeSegment).join("/");
    const url = new URL(base.toString());
    if (virtualHost) url.hostname = `${bucket}.${base.hostname}`;
    url.pathname = virtualHost ? `${basePath}/${keyPath}` : `${basePath}/${encodeSegment(bucket)}/${keyPath}`;
    // The body's hash is given rather than left to the signer: node:crypto on the Buffer itself saves
    // about 5 us a request over the signer's generic path. The signer adds x-amz-date and the authorization.
    const payloadHash = createHash("sha256").update(body).digest("hex");
    const signed = await signer.sign(
        {
            method: "PUT",
            protocol: url.protocol,
            hostname: url.hostname,
            port: url.port ? Number(url.port) : undefined,
            path: url.pathname,
            query: {},
            headers: { host: url.host, "x-amz-content-sha256": payloadHash },
            body,
        },
        { signingDate: now },
    );
    return { url, headers: { ...signed.headers, "content-length": String(body.length) } };
}

export class SignedPutter {
    private readonly agent: http.Agent;
    private readonly signer: SignatureV4;

    constructor(private readonly target: SignedPutTarget) {
        const secure = (target.endpoint ?? "https:").startsWith("https:");
        this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 64 }) : new http.Agent({ keepAlive: true, maxSockets: 64 });
        this.signer = putSigner(target);
    }

    /** Puts `body` at `key`; rejects with an UnhandledPutError for anything the SDK should handle instead. */
    async put(bucket: string, key: string, body: Buffer, retry?: RetryOptions): Promise<void> {
        const what = `PUT ${bucket}/${key}`;
        try {
            await withRetries(
                what,
                async () => {
                    const { url, headers } = await signPut(this.target, bucket, key, body, new Date(), this.signer);
                    const answer = await this.send(url, headers, body);
                    if (answer.status !== 200) throw new PutAnswer(answer.status, answer.text, answer.retryAfter);
                },
                verdictOfPut,
                retry,
            );
        } catch (err) {
            if (err instanceof RetriesExhaustedError) throw err;
            throw new UnhandledPutError(`${what}: ${(err as Error).message}`);
        }
    }

    private send(url: URL, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string; retryAfter?: string }> {
        return new Promise((resolve, reject) => {
            const request = (url.protocol === "https:" ? https : http).request(
                url,
                { method: "PUT", headers, agent: this.agent },
                (response) => {
                    const chunks: Buffer[] = [];
                    response.on("data", (chunk: Buffer) => chunks.push(chunk));
                    response.on("end", () =>
                        resolve({
                            status: response.statusCode ?? 0,
                            text: Buffer.concat(chunks).toString("utf8"),
                            retryAfter: response.headers["retry-after"],
                        }),
                    );
                    response.on("error", reject);
                },
            );
            request.setTimeout(60_000, () => request.destroy(new Error("no answer in 60 s")));
            request.on("error", reject);
            request.end(body);
        });
    }

    close(): void {
        this.agent.destroy();
    }
}
