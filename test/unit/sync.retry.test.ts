// Retries of uploads: the policy (exponential backoff with full jitter, Retry-After honoured and
// capped, bounded attempts, a final error that says what failed how many times), the verdicts on
// SDK errors, and a stand-in S3 server that throttles (503 SlowDown), fails (500 InternalError) and
// cuts connections in the middle of a body, against which a sync's store still stores every file
// intact: small ones through the signed PUT, others through the SDK, large ones in parts, each
// attempt with a fresh stream; and the same for Azure Blob's Put Blob and Put Block.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
    backoffMs,
    DEFAULT_RETRY_POLICY,
    NOT_RETRYABLE,
    RetriesExhaustedError,
    retryAfterMs,
    verdictOfStatus,
    withRetries,
} from "../../src/internal/retry";
import { withThrottleListener } from "../../src/internal/throttleSignal";
import { azureObjectStore } from "../../src/sync/protocols/azureTransfer";
import { verdictOfS3Error } from "../../src/sync/protocols/s3Retry";
import { s3ObjectStore } from "../../src/sync/protocols/s3Transfer";
import { SignedPutter } from "../../src/sync/protocols/signedPut";

const keys = { accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

describe("the retry policy", () => {
    it("waits a jittered, doubling step, at least what Retry-After asks, at most the cap", () => {
        const policy = { attempts: 6, baseMs: 200, maxDelayMs: 10_000 };
        assert.deepEqual(
            [1, 2, 3, 4, 5].map((n) => backoffMs(policy, n, undefined, () => 1)),
            [200, 400, 800, 1600, 3200],
        );
        assert.equal(
            backoffMs(policy, 3, undefined, () => 0.5),
            400,
            "full jitter: anywhere up to the step",
        );
        assert.equal(
            backoffMs(policy, 1, 3000, () => 0.5),
            3000,
            "Retry-After wins when longer",
        );
        assert.equal(
            backoffMs(policy, 1, 60_000, () => 0.5),
            10_000,
            "but never past the cap",
        );
        assert.equal(
            backoffMs(policy, 20, undefined, () => 1),
            10_000,
        );
    });

    it("reads Retry-After as seconds or an HTTP date", () => {
        const now = Date.parse("2026-11-29T12:00:00Z");
        assert.equal(retryAfterMs("2", now), 2000);
        assert.equal(retryAfterMs("Sun, 29 Nov 2026 12:00:05 GMT", now), 5000);
        assert.equal(retryAfterMs(undefined, now), undefined);
        assert.equal(retryAfterMs("soon", now), undefined);
    });

    it("retries what is retryable, honours Retry-After, reports throttling, and names the request when it gives up", async () => {
        const waits: number[] = [];
        let throttles = 0;
        let attempts = 0;
        await assert.rejects(
            withThrottleListener(
                () => throttles++,
                () =>
                    withRetries(
                        "PUT data/k",
                        async () => {
                            attempts++;
                            throw Object.assign(new Error("SlowDown: Please reduce your request rate."), { status: 503 });
                        },
                        (err) => verdictOfStatus((err as { status: number }).status, "1"),
                        { sleep: async (ms) => void waits.push(ms), random: () => 0 },
                    ),
            ),
            (err: Error) => {
                assert.ok(err instanceof RetriesExhaustedError);
                assert.equal(err.message, "PUT data/k: failed 6 times; last: SlowDown: Please reduce your request rate.");
                assert.equal(err.attempts, DEFAULT_RETRY_POLICY.attempts);
                return true;
            },
        );
        assert.equal(attempts, 6);
        assert.deepEqual(waits, [1000, 1000, 1000, 1000, 1000], "five waits of Retry-After's second");
        assert.equal(throttles, 6, "each throttled attempt is reported to the pool");
    });

    it("throws a failure that is not retryable at once, as it is", async () => {
        let attempts = 0;
        const denied = new Error("AccessDenied");
        await assert.rejects(
            withRetries(
                "PUT data/k",
                async () => {
                    attempts++;
                    throw denied;
                },
                () => NOT_RETRYABLE,
            ),
            (err) => err === denied,
        );
        assert.equal(attempts, 1);
    });

    it("judges SDK errors: throttling, server failures, dropped connections, and everything else", () => {
        const sdkError = (name: string, status?: number, headers: Record<string, string> = {}) =>
            Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, $response: { headers } });
        assert.deepEqual(verdictOfS3Error(sdkError("SlowDown", 503, { "retry-after": "2" })), {
            retry: true,
            throttled: true,
            retryAfterMs: 2000,
        });
        assert.deepEqual(verdictOfS3Error(sdkError("TooManyRequests", 429)), { retry: true, throttled: true, retryAfterMs: undefined });
        assert.deepEqual(verdictOfS3Error(sdkError("InternalError", 500)), { retry: true, throttled: false, retryAfterMs: undefined });
        assert.deepEqual(verdictOfS3Error(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })), {
            retry: true,
            throttled: true,
        });
        assert.deepEqual(verdictOfS3Error(sdkError("AccessDenied", 403)), NOT_RETRYABLE);
        assert.deepEqual(verdictOfS3Error(sdkError("NoSuchBucket", 404)), NOT_RETRYABLE);
    });
});

/** A stand-in S3 server (PUT, multipart upload) that injects the next queued fault into each request. */
type Fault = "slowdown" | "internal" | "cut";

describe("a sync's store against a server that throttles, fails and cuts connections", () => {
    const objects = new Map<string, Buffer>();
    const parts = new Map<string, Buffer>();
    const faults: Fault[] = [];
    const requests: string[] = [];
    let server: http.Server;
    let endpoint: string;
    let dir: string;

    const xml = (res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/xml", ...headers });
        res.end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
    };

    before(async () => {
        dir = mkdtempSync(path.join(tmpdir(), "skymount-retry-"));
        server = http.createServer((req, res) => {
            const url = new URL(req.url!, "http://x");
            const key = decodeURIComponent(url.pathname.slice(1));
            const fault = faults.shift();
            requests.push(`${req.method} ${url.pathname}${url.search} ${fault ?? ""}`.trim());
            const chunks: Buffer[] = [];
            let received = 0;
            req.on("data", (chunk: Buffer) => {
                chunks.push(chunk);
                received += chunk.length;
                // Cut the connection halfway through a body: the client must send the whole body again.
                if (fault === "cut" && received > 1000) req.socket.destroy();
            });
            req.on("end", () => {
                if (fault === "cut") return req.socket.destroy();
                if (fault === "slowdown")
                    return xml(res, 503, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>", {
                        "retry-after": "0",
                    });
                if (fault === "internal")
                    return xml(res, 500, "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>");
                const body = Buffer.concat(chunks);
                const etag = `"${createHash("md5").update(body).digest("hex")}"`;
                // Azure Blob: Put Block, Put Block List (a list of base64 ids), Put Blob.
                if (req.method === "PUT" && url.searchParams.get("comp") === "block") {
                    parts.set(`${key}#${url.searchParams.get("blockid")}`, body);
                    res.writeHead(201);
                    return res.end();
                }
                if (req.method === "PUT" && url.searchParams.get("comp") === "blocklist") {
                    const ids = [...body.toString().matchAll(/<Latest>([^<]+)<\/Latest>/g)].map((m) => m[1]);
                    objects.set(key, Buffer.concat(ids.map((id) => parts.get(`${key}#${id}`)!)));
                    res.writeHead(201);
                    return res.end();
                }
                if (req.method === "PUT" && req.headers["x-ms-blob-type"] === "BlockBlob") {
                    objects.set(key, body);
                    res.writeHead(201);
                    return res.end();
                }
                if (req.method === "PUT" && url.searchParams.has("partNumber")) {
                    parts.set(`${key}#${url.searchParams.get("partNumber")}`, body);
                    res.writeHead(200, { etag });
                    return res.end();
                }
                if (req.method === "PUT") {
                    objects.set(key, body);
                    res.writeHead(200, { etag });
                    return res.end();
                }
                if (req.method === "POST" && url.searchParams.has("uploads")) {
                    return xml(
                        res,
                        200,
                        `<InitiateMultipartUploadResult><Bucket>data</Bucket><Key>${key}</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>`,
                    );
                }
                if (req.method === "POST" && url.searchParams.has("uploadId")) {
                    const numbers = [...body.toString().matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => m[1]);
                    objects.set(key, Buffer.concat(numbers.map((n) => parts.get(`${key}#${n}`)!)));
                    return xml(
                        res,
                        200,
                        `<CompleteMultipartUploadResult><Key>${key}</Key><ETag>"x-${numbers.length}"</ETag></CompleteMultipartUploadResult>`,
                    );
                }
                res.writeHead(400);
                res.end();
            });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
        server.close();
        rmSync(dir, { recursive: true, force: true });
    });

    const stored = (name: string, size: number) => {
        const file = path.join(dir, name);
        writeFileSync(file, randomBytes(size));
        return file;
    };

    for (const [what, size, faultsToInject] of [
        ["a small file through the signed PUT", 4096, ["slowdown", "internal", "cut"]],
        ["a 2 MiB file through the SDK, streamed", 2 * 1024 * 1024, ["slowdown", "cut", "internal"]],
        ["a 40 MiB file in parts", 40 * 1024 * 1024, ["slowdown", "internal", "cut", "cut"]],
    ] as const) {
        it(`stores ${what} intact`, async () => {
            const name = what.replace(/\W+/g, "-");
            const file = stored(name, size);
            requests.length = 0;
            faults.push(...faultsToInject);
            const store = s3ObjectStore({ kind: "s3", endpoint, region: "us-east-1", pathStyle: true }, keys, "data");
            try {
                await store.upload(name, file, size);
            } finally {
                store.close();
            }
            assert.equal(faults.length, 0, "every fault was met");
            assert.ok(objects.get(`data/${name}`)?.equals(readFileSync(file)), `data/${name} holds the file: ${requests.join("; ")}`);
            assert.equal(requests.filter((r) => / (slowdown|internal|cut)$/.test(r)).length, faultsToInject.length);
        });
    }

    for (const [what, size, faultsToInject] of [
        ["a small blob", 4096, ["slowdown", "cut", "internal"]],
        ["a 40 MiB blob in blocks", 40 * 1024 * 1024, ["cut", "slowdown", "internal"]],
    ] as const) {
        it(`stores ${what} on Azure intact`, async () => {
            const name = what.replace(/\W+/g, "-");
            const file = stored(name, size);
            faults.push(...faultsToInject);
            const store = azureObjectStore({ endpoint: `${endpoint}/devstoreaccount1`, account: "devstoreaccount1", key: "a2V5" }, "box");
            try {
                await store.upload(name, file, size);
            } finally {
                store.close();
            }
            assert.equal(faults.length, 0, "every fault was met");
            assert.ok(objects.get(`devstoreaccount1/box/${name}`)?.equals(readFileSync(file)), `box/${name} holds the file`);
        });
    }

    it("gives up after its attempts, saying what failed how many times", async () => {
        faults.push(...Array.from({ length: 6 }, () => "slowdown" as const));
        const putter = new SignedPutter({ endpoint, region: "us-east-1", pathStyle: true, ...keys });
        try {
            await assert.rejects(
                putter.put("data", "k", Buffer.from("x"), { sleep: async () => undefined }),
                (err: Error) =>
                    err instanceof RetriesExhaustedError && /^PUT data\/k: failed 6 times; last: HTTP 503 .*SlowDown/.test(err.message),
            );
        } finally {
            putter.close();
        }
    });
});
