// The small-object PUT that bypasses the AWS SDK's middleware: its signature is the SDK signer's
// (checked against a second @smithy/signature-v4 with its own hash, over the request as the SDK
// would sign it), its URLs encode keys as S3 wants, it retries what is retryable, and it hands
// everything else back (UnhandledPutError) so the caller can use the SDK.
import { SignatureV4 } from "@smithy/signature-v4";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { encodeSegment, putSigner, SignedPutter, signPut, UnhandledPutError } from "../../src/sync/protocols/signedPut";
import { s3ObjectStore } from "../../src/sync/protocols/s3Transfer";

const toBytes = (data: string | ArrayBuffer | ArrayBufferView): string | Buffer =>
    typeof data === "string"
        ? data
        : ArrayBuffer.isView(data)
          ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
          : Buffer.from(data);

class NodeSha256 {
    private readonly hash;
    constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
        this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBytes(secret));
    }
    update(data: string | ArrayBuffer | ArrayBufferView): void {
        this.hash.update(toBytes(data));
    }
    async digest(): Promise<Uint8Array> {
        return this.hash.digest();
    }
}

const keys = { accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
describe("signPut", () => {
    const now = new Date("2026-11-22T03:04:05.678Z");
    const body = Buffer.from("Welcome to Amazon S3.");

    for (const [name, target, bucket, key, expectedUrl] of [
        [
            "path-style on a self-hosted server",
            { endpoint: "http://10.0.0.1:9000", region: "us-east-1", pathStyle: true },
            "data",
            "dir/a b+c(1).csv",
            "http://10.0.0.1:9000/data/dir/a%20b%2Bc%281%29.csv",
        ],
        [
            "virtual-host on AWS",
            { region: "eu-west-1", pathStyle: false },
            "team-data",
            "ünï/x*y",
            "https://team-data.s3.eu-west-1.amazonaws.com/%C3%BCn%C3%AF/x%2Ay",
        ],
        [
            "path-style for a dotted bucket",
            { endpoint: "https://s3.example.com/", region: "auto", pathStyle: false },
            "my.data",
            "k",
            "https://s3.example.com/my.data/k",
        ],
    ] as const) {
        it(`signs as the AWS SDK does: ${name}`, async () => {
            const signed = await signPut({ ...target, ...keys }, bucket, key, body, now, putSigner({ ...target, ...keys }));
            assert.equal(signed.url.toString(), expectedUrl);
            const sdk = new SignatureV4({
                credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
                region: target.region,
                service: "s3",
                sha256: NodeSha256,
                uriEscapePath: false,
            });
            const reference = await sdk.sign(
                {
                    method: "PUT",
                    protocol: signed.url.protocol,
                    hostname: signed.url.hostname,
                    port: signed.url.port ? Number(signed.url.port) : undefined,
                    path: signed.url.pathname,
                    query: {},
                    headers: { host: signed.headers.host, "x-amz-content-sha256": signed.headers["x-amz-content-sha256"] },
                    body,
                },
                { signingDate: now },
            );
            assert.equal(signed.headers.authorization, reference.headers.authorization);
            assert.equal(signed.headers["x-amz-content-sha256"], createHash("sha256").update(body).digest("hex"));
        });
    }

    it("encodes a key segment by RFC 3986", () => {
        assert.equal(encodeSegment("a b!'()*~.-_"), "a%20b%21%27%28%29%2A~.-_");
    });
});

describe("SignedPutter against a stand-in server", () => {
    const answers: number[] = [];
    const seen: Array<{ url: string; host: string; body: string }> = [];
    const agents: string[] = [];
    let server: http.Server;
    let endpoint: string;

    before(async () => {
        server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                seen.push({ url: req.url!, host: req.headers.host!, body: Buffer.concat(chunks).toString() });
                agents.push(String(req.headers["user-agent"] ?? "") + String(req.headers["x-amz-user-agent"] ?? ""));
                res.statusCode = answers.shift() ?? 200;
                res.end(res.statusCode === 200 ? "" : "<Error><Code>X</Code></Error>");
            });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server.close());

    it("puts the body at the key", async () => {
        seen.length = 0;
        const putter = new SignedPutter({ endpoint, region: "us-east-1", pathStyle: true, ...keys });
        await putter.put("data", "dir/file.txt", Buffer.from("hello"));
        putter.close();
        assert.deepEqual(seen, [{ url: "/data/dir/file.txt", host: endpoint.slice("http://".length), body: "hello" }]);
    });

    it("retries a throttled or failing server, then succeeds", async () => {
        seen.length = 0;
        answers.push(503, 500);
        const putter = new SignedPutter({ endpoint, region: "us-east-1", pathStyle: true, ...keys });
        await putter.put("data", "k", Buffer.from("x"));
        putter.close();
        assert.equal(seen.length, 3);
    });

    it("hands anything else back to the caller, naming the object and the answer", async () => {
        seen.length = 0;
        answers.push(301);
        const putter = new SignedPutter({ endpoint, region: "us-east-1", pathStyle: true, ...keys });
        await assert.rejects(
            putter.put("data", "k", Buffer.from("x")),
            (err: Error) => err instanceof UnhandledPutError && /^PUT data\/k: HTTP 301 <Error>/.test(err.message),
        );
        putter.close();
        assert.equal(seen.length, 1, "not retried");
    });

    it("a sync's store falls back to the SDK for good after the first answer the fast path cannot handle", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "skymount-signedput-"));
        try {
            for (const f of ["a", "b"]) writeFileSync(path.join(dir, f), f);
            seen.length = 0;
            agents.length = 0;
            answers.push(400);
            const store = s3ObjectStore({ kind: "s3", endpoint, region: "us-east-1", pathStyle: true }, keys, "data");
            await store.upload("a", path.join(dir, "a"), 1);
            await store.upload("b", path.join(dir, "b"), 1);
            store.close();
            assert.deepEqual(
                seen.map((r) => r.url.split("?")[0]),
                ["/data/a", "/data/a", "/data/b"],
            );
            assert.deepEqual(
                agents.map((a) => /aws-sdk-js/.test(a)),
                [false, true, true],
                "fast path, then the SDK for the same file and every later one",
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
