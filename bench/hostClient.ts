// Runs on a test host, bundled into one file (bench/support/host.ts): the direct-SDK side of the mount
// benchmarks, and the probe that tells when written files are in the bucket. Reads a JSON request on
// stdin and prints elapsed seconds (get, put, list) or the epoch milliseconds at which the bucket
// held what was asked for (wait).
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { Readable } from "node:stream";
import { createS3Client } from "../src/clients/s3Client";
import { runPool } from "../src/sync/pool/pool";
import { uploadFile } from "../src/sync/protocols/s3Transfer";

interface Request {
    op: "get" | "put" | "list" | "wait";
    endpoint: string;
    region: string;
    accessKey: string;
    secretKey: string;
    bucket: string;
    /** get, put: the objects. get may name a prefix instead, listed before the clock starts. */
    keys?: string[];
    prefix?: string;
    /** get: byte ranges of the first key, read at once (a model's shards read by several loaders). */
    ranges?: Array<[number, number]>;
    /** put: local files, one per key. */
    files?: string[];
    concurrency?: number;
    /** wait: how many objects under `prefix`, and how large each (when given), mean "written". */
    count?: number;
    size?: number;
    /** wait: created once the client is ready to poll; polling starts once `closedFile` exists. */
    readyFile?: string;
    closedFile?: string;
}

async function drain(body: Readable): Promise<number> {
    let bytes = 0;
    for await (const chunk of body) bytes += (chunk as Buffer).length;
    return bytes;
}

async function listAll(s3: S3Client, bucket: string, prefix: string): Promise<Array<{ key: string; size: number }>> {
    const objects: Array<{ key: string; size: number }> = [];
    let token: string | undefined;
    do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) objects.push({ key: o.Key!, size: o.Size ?? 0 });
        token = page.NextContinuationToken;
    } while (token);
    return objects;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the prefix once `closedFile` exists; the time the bucket first held `count` objects of `size`.
 *  When the first poll finds them all, they were there when the writers closed their files. */
async function waitFor(s3: S3Client, req: Request): Promise<number> {
    writeFileSync(req.readyFile!, "");
    while (!existsSync(req.closedFile!)) await sleep(10);
    const closedAt = Number(readFileSync(req.closedFile!, "utf8").trim() || Date.now());
    for (let poll = 0; ; poll++) {
        const objects = await listAll(s3, req.bucket, req.prefix!);
        const written = objects.filter((o) => req.size === undefined || o.size === req.size).length;
        if (written >= req.count!) return poll === 0 ? closedAt : Date.now();
        await sleep(100);
    }
}

async function timedOp(s3: S3Client, req: Request): Promise<number> {
    const keys = req.keys ?? (await listAll(s3, req.bucket, req.prefix!)).map((o) => o.key);
    const started = process.hrtime.bigint();
    if (req.op === "list") {
        await listAll(s3, req.bucket, req.prefix!);
    } else if (req.ranges) {
        await Promise.all(
            req.ranges.map(async ([start, end]) => {
                const got = await s3.send(new GetObjectCommand({ Bucket: req.bucket, Key: keys[0], Range: `bytes=${start}-${end}` }));
                await drain(got.Body as Readable);
            }),
        );
    } else {
        await runPool(
            keys.map((key, i) => ({
                label: key,
                run: async () => {
                    if (req.op === "get")
                        await drain((await s3.send(new GetObjectCommand({ Bucket: req.bucket, Key: key }))).Body as Readable);
                    else await uploadFile(s3, req.bucket, key, req.files![i], statSync(req.files![i]).size);
                },
            })),
            req.concurrency ?? 1,
        );
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main(): Promise<void> {
    const req = JSON.parse(readFileSync(0, "utf8")) as Request;
    const s3 = createS3Client({
        endpoint: req.endpoint,
        region: req.region,
        pathStyle: true,
        accessKey: req.accessKey,
        secretKey: req.secretKey,
    });
    try {
        if (req.op === "wait") console.log(String(await waitFor(s3, req)));
        else console.log((await timedOp(s3, req)).toFixed(3));
    } finally {
        s3.destroy();
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
