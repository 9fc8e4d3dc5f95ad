// A PUT of a small object as one SigV4-signed request over node:http(s), for syncs of many small
// files. The AWS SDK spends about 0.9 ms of CPU per request in its middleware stack, which on a
// 2-core machine made 10,000 small files CPU-bound (bench/README.md: 9.2 s of CPU against 2.0 s for
// this path). Only plain PUTs of buffered bodies go this way; anything it does not expect (a
// redirect, an error code other than a retryable one) is handed back to the caller, which uses the
// SDK instead, so behaviour on every store stays the SDK's.
import { createHash, createHmac } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";

export interface SignedPutTarget {
    /** The S3 API endpoint with scheme; undefined for AWS S3 itself. */
    endpoint?: string;
    region: string;
    pathStyle: boolean;
    accessKey: string;
    secretKey: string;
}

/** The request was not accepted in a way this path handles: use the SDK for it. */
export class UnhandledPutError extends Error {}

/** Attempts for a retryable failure (connection reset, 429, 5xx), with exponential backoff. */
const ATTEMPTS = 4;
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** RFC 3986 encoding of one path segment, as SigV4's canonical URI wants it. */
export function encodeSegment(segment: string): string {
    return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface SignedRequest {
    url: URL;
    headers: Record<string, string>;
}

/** The URL and headers of a signed PUT (pure but for the clock, which the caller passes). */
export function signPut(target: SignedPutTarget, bucket: string, key: string, body: Buffer, now: Date, signingKey: (day: string) => Buffer): SignedRequest {
    const base = new URL(target.endpoint ?? `https://s3.${target.region}.amazonaws.com`);
    // Virtual-host addressing needs the bucket to be a DNS label; dotted names go path-style over TLS.
    const virtualHost = !target.pathStyle && !bucket.includes(".");
    const basePath = base.pathname.replace(/\/+$/, "");
    const keyPath = key.split("/").map(encodeSegment).join("/");
    const url = new URL(base.toString());
    if (virtualHost) url.hostname = `${bucket}.${base.hostname}`;
    url.pathname = virtualHost ? `${basePath}/${keyPath}` : `${basePath}/${encodeSegment(bucket)}/${keyPath}`;
    const amzDate = now.toISOString().replace(/[:-]|\.\d{3}/g, "");
    const day = amzDate.slice(0, 8);
    const payloadHash = createHash("sha256").update(body).digest("hex");
    const headers: Record<string, string> = { host: url.host, "x-amz-content-sha256": payloadHash, "x-amz-date": amzDate };
    const signed = Object.keys(headers).sort();
    const canonical = ["PUT", url.pathname, "", ...signed.map((h) => `${h}:${headers[h]}`), "", signed.join(";"), payloadHash].join("\n");
    const scope = `${day}/${target.region}/s3/aws4_request`;
    const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
    const signature = createHmac("sha256", signingKey(day)).update(toSign).digest("hex");
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${target.accessKey}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${signature}`;
    headers["content-length"] = String(body.length);
    return { url, headers };
}

export class SignedPutter {
    private readonly agent: http.Agent;
    private keyDay = "";
    private key = Buffer.alloc(0);

    constructor(private readonly target: SignedPutTarget) {
        const secure = (target.endpoint ?? "https:").startsWith("https:");
        this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 64 }) : new http.Agent({ keepAlive: true, maxSockets: 64 });
    }

    /** The day's signing key, derived once per day rather than per request. */
    private signingKey = (day: string): Buffer => {
        if (day !== this.keyDay) {
            const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
            this.key = hmac(hmac(hmac(hmac(`AWS4${this.target.secretKey}`, day), this.target.region), "s3"), "aws4_request");
            this.keyDay = day;
        }
        return this.key;
    };

    async put(bucket: string, key: string, body: Buffer): Promise<void> {
        for (let attempt = 1; ; attempt++) {
            const { url, headers } = signPut(this.target, bucket, key, body, new Date(), this.signingKey);
            let outcome: { status: number; text: string } | Error;
            try {
                outcome = await this.send(url, headers, body);
            } catch (err) {
                outcome = err as Error;
            }
            if (!(outcome instanceof Error) && outcome.status === 200) return;
            const retryable = outcome instanceof Error || RETRYABLE_STATUS.has(outcome.status);
            if (!retryable || attempt === ATTEMPTS) {
                const what = outcome instanceof Error ? outcome.message : `HTTP ${outcome.status} ${outcome.text.slice(0, 300)}`;
                throw new UnhandledPutError(`PUT ${bucket}/${key}: ${what}`);
            }
            await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * (0.5 + Math.random())));
        }
    }

    private send(url: URL, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
        return new Promise((resolve, reject) => {
            const request = (url.protocol === "https:" ? https : http).request(url, { method: "PUT", headers, agent: this.agent }, (response) => {
                const chunks: Buffer[] = [];
                response.on("data", (chunk: Buffer) => chunks.push(chunk));
                response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
                response.on("error", reject);
            });
            request.setTimeout(60_000, () => request.destroy(new Error("no answer in 60 s")));
            request.on("error", reject);
            request.end(body);
        });
    }

    close(): void {
        this.agent.destroy();
    }
}
