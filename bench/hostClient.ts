// Runs on a test host (node and this checkout are visible there through its overlay root): the
// direct-SDK side of the mount benchmark. Reads a JSON request on stdin, prints elapsed seconds.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { createS3Client } from "../src/clients/s3Client";
import { runPool } from "../src/sync/pool/pool";
import { uploadFile } from "../src/sync/protocols/s3Transfer";

interface Request {
    op: "get" | "put";
    endpoint: string;
    region: string;
    accessKey: string;
    secretKey: string;
    bucket: string;
    keys: string[];
    /** For put: local files, one per key. */
    files?: string[];
    concurrency: number;
}

async function drain(body: Readable): Promise<number> {
    let bytes = 0;
    for await (const chunk of body) bytes += (chunk as Buffer).length;
    return bytes;
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
    const started = process.hrtime.bigint();
    await runPool(
        req.keys.map((key, i) => ({
            label: key,
            run: async () => {
                if (req.op === "get") await drain((await s3.send(new GetObjectCommand({ Bucket: req.bucket, Key: key }))).Body as Readable);
                else {
                    const file = req.files![i];
                    const { statSync } = await import("node:fs");
                    await uploadFile(s3, req.bucket, key, file, statSync(file).size);
                }
            },
        })),
        req.concurrency,
    );
    console.log((Number(process.hrtime.bigint() - started) / 1e9).toFixed(3));
    s3.destroy();
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
