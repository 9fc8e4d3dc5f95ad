// The data bucket the read workloads read, filled from this machine before any clock starts:
// data/big.bin, data/model.bin, data/small/ (1-8 KiB files in 100 directories) and data/list/ (the
// listing's objects, 512 B to 4 KiB, in 100 directories).
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runPool } from "../../src/sync/pool/pool";
import { uploadFile } from "../../src/sync/protocols/s3Transfer";
import { makeBigFile } from "../support";
import { Sizes } from "./workloads";

function smallObjects(prefix: string, count: number, bytes: (i: number) => number) {
    return Array.from({ length: count }, (_, i) => ({
        key: `${prefix}/d${String(i % 100).padStart(2, "0")}/f${String(i).padStart(6, "0")}.bin`,
        bytes: bytes(i),
    }));
}

export async function fillDataBucket(s3: S3Client, bucket: string, sizes: Sizes): Promise<void> {
    const dir = mkdtempSync(path.join(tmpdir(), "skymount-bench-data-"));
    try {
        for (const [name, bytes] of [
            ["big.bin", sizes.bigBytes],
            ["model.bin", sizes.modelBytes],
        ] as const) {
            const file = path.join(dir, name);
            makeBigFile(file, bytes);
            await uploadFile(s3, bucket, `data/${name}`, file, bytes);
            rmSync(file);
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    const objects = [
        ...smallObjects("data/small", sizes.smallReads, (i) => 1024 * (1 + (i % 8))),
        ...smallObjects("data/list", sizes.listObjects, (i) => 512 * (1 + (i % 8))),
    ];
    await runPool(
        objects.map((o) => ({
            label: o.key,
            run: async () => {
                await s3.send(new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: randomBytes(o.bytes) }));
            },
        })),
        64,
    );
}
