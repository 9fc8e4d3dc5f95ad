// SkyStorage copying a prefix of another bucket on the same S3 server into its managed bucket: the
// objects land under the prefix's basename, copied server-side (measured), a changed source object
// is the only one copied again, foreign objects and the source bucket are never touched, persistent
// and non-persistent destroy, objects past the single-copy limit go in parts, bad input is refused.
import {
    CreateBucketCommand,
    DeleteBucketCommand,
    DeleteObjectCommand,
    GetObjectCommand,
    HeadBucketCommand,
    HeadObjectCommand,
    ListBucketsCommand,
    ListObjectsV2Command,
    PutObjectCommand,
} from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { createS3Client } from "../../src/clients/s3Client";
import { copyObject, listPrefix } from "../../src/sync/protocols/serverCopy";
import { CountingProxy, startCountingProxy } from "./support/countingProxy";
import { readTree, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

const BIG_OBJECT_BYTES = 16 * 1024 * 1024;
/**
 * What the machine running Pulumi may move while copying: requests, listings and state, never the
 * objects' bytes. Reading the 16 MiB object down and writing it back up would move 32 MiB.
 */
const CONTROL_TRAFFIC_BYTES = 1024 * 1024;

describe("SkyStorage copies a bucket prefix server-side on the testbed's S3 server", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const source = uniqueName("copy-src");
    const bucket = uniqueName("copy-dst");
    const adopted = uniqueName("copy-adopt");
    const big = randomBytes(BIG_OBJECT_BYTES);
    const stacks: Array<{ stack: Stack; backendDir: string }> = [];
    let proxy: CountingProxy;
    let stack: Stack;

    const put = (b: string, key: string, body: string | Buffer) => s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: body }));
    const read = async (b: string, key: string) =>
        Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: b, Key: key }))).Body!.transformToByteArray());
    const digest = (data: Buffer) => createHash("sha256").update(data).digest("hex");
    const lastModified = async (b: string, key: string) =>
        (await s3.send(new HeadObjectCommand({ Bucket: b, Key: key }))).LastModified!.getTime();
    const objects = async (b: string) => {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: b }));
        // Every object: skymount keeps nothing of its own in the bucket.
        return (listed.Contents ?? []).map((o) => ({ key: o.Key!, etag: o.ETag!, size: o.Size!, modified: o.LastModified!.getTime() }));
    };
    const keys = async (b: string) => (await objects(b)).map((o) => o.key);
    const newStack = async (args: object) => {
        const made = await stackFor("copy", { args: JSON.stringify(args), endpoint: proxy.endpoint });
        stacks.push(made);
        return made.stack;
    };
    /** Runs a Pulumi operation and checks that the source bucket is exactly as before it. */
    const sourceUntouchedBy = async <T>(operation: () => Promise<T>): Promise<T> => {
        const beforeOperation = await objects(source);
        const result = await operation();
        assert.deepEqual(await objects(source), beforeOperation, "the source bucket changed");
        return result;
    };

    before(async () => {
        proxy = await startCountingProxy(testbed.s3.endpoint);
        await s3.send(new CreateBucketCommand({ Bucket: source }));
        await put(source, "some/dir/a.txt", "version 1\n");
        await put(source, "some/dir/nested/b.txt", "deep\n");
        await put(source, "some/dir/big.bin", big);
        // Share the text "some/dir" but are outside the prefix "some/dir/": never copied.
        await put(source, "some/dirty/x.txt", "outside\n");
        await put(source, "some/other.txt", "outside\n");
        stack = await newStack({ name: bucket, sources: [`s3://${source}/some/dir`] });
    });

    after(async () => {
        for (const made of stacks) {
            await made.stack.destroy().catch(() => undefined);
            await made.stack.workspace.removeStack("e2e").catch(() => undefined);
            rmSync(made.backendDir, { recursive: true, force: true });
        }
        for (const b of [source, bucket, adopted]) {
            for (const key of await keys(b).catch(() => [])) await s3.send(new DeleteObjectCommand({ Bucket: b, Key: key }));
            await s3.send(new DeleteBucketCommand({ Bucket: b })).catch(() => undefined);
        }
        await proxy.close();
        s3.destroy();
    });

    it("copies the prefix's objects under its basename, without their bytes passing through this machine", async () => {
        proxy.reset();
        const result = await sourceUntouchedBy(() => stack.up());
        assert.equal(result.summary.result, "succeeded");
        assert.deepEqual(result.outputs.copySummaries.value, ["3 added (a.txt, big.bin, nested/b.txt); 0 changed; 0 removed"]);
        assert.deepEqual(await keys(bucket), ["dir/a.txt", "dir/big.bin", "dir/nested/b.txt"]);
        assert.equal(digest(await read(bucket, "dir/big.bin")), digest(big));
        assert.equal((await read(bucket, "dir/nested/b.txt")).toString(), "deep\n");
        // Every request of this up went through the proxy (the stack's endpoint): it saw the
        // requests, but not the 16 MiB object in either direction.
        const { sent, received } = proxy.bytes();
        assert.ok(sent > 0 && received > 0, "the stack did not talk to the S3 server through the proxy");
        assert.ok(
            sent < CONTROL_TRAFFIC_BYTES && received < CONTROL_TRAFFIC_BYTES,
            `${sent} bytes sent and ${received} received: the copy passed through this machine`,
        );
        const state = readTree(stacks[0].backendDir);
        assert.ok(!state.includes(testbed.s3.secretKey), "the secret key is in the state in plaintext");
    });

    it("a preview with no change shows no changes", async () => {
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { same: 4 });
    });

    it("a changed source object: preview names exactly it, up copies only it", async () => {
        const modified = { big: await lastModified(bucket, "dir/big.bin"), b: await lastModified(bucket, "dir/nested/b.txt") };
        await new Promise((r) => setTimeout(r, 1100));
        await put(source, "some/dir/a.txt", "version 2\n");
        const preview = await sourceUntouchedBy(() => stack.preview({ diff: true }));
        assert.deepEqual(preview.changeSummary, { update: 1, same: 3 });
        assert.match(preview.stdout, /"0 added; 1 changed \(a\.txt\); 0 removed"/);
        const result = await sourceUntouchedBy(() => stack.up());
        assert.deepEqual(result.outputs.copySummaries.value, ["0 added; 1 changed (a.txt); 0 removed"]);
        assert.equal((await read(bucket, "dir/a.txt")).toString(), "version 2\n");
        assert.deepEqual(
            { big: await lastModified(bucket, "dir/big.bin"), b: await lastModified(bucket, "dir/nested/b.txt") },
            modified,
            "an unchanged object was copied again",
        );
    });

    it("a removed source object's copy goes; objects put there by someone else stay", async () => {
        await put(bucket, "dir/foreign.txt", "not skymount's\n");
        await put(bucket, "foreign.txt", "not skymount's\n");
        await s3.send(new DeleteObjectCommand({ Bucket: source, Key: "some/dir/nested/b.txt" }));
        const result = await sourceUntouchedBy(() => stack.up());
        assert.deepEqual(result.outputs.copySummaries.value, ["0 added; 0 changed; 1 removed (nested/b.txt)"]);
        assert.deepEqual(await keys(bucket), ["dir/a.txt", "dir/big.bin", "dir/foreign.txt", "foreign.txt"]);
    });

    it("destroy keeps a persistent bucket and every object in it", async () => {
        await sourceUntouchedBy(() => stack.destroy());
        await s3.send(new HeadBucketCommand({ Bucket: bucket }));
        assert.deepEqual(await keys(bucket), ["dir/a.txt", "dir/big.bin", "dir/foreign.txt", "foreign.txt"]);
    });

    it("destroy of a bucket that is not persistent deletes the objects it copied and nothing else", async () => {
        // An existing bucket is adopted and never deleted, so what destroy leaves shows what the copy deletes.
        await s3.send(new CreateBucketCommand({ Bucket: adopted }));
        await put(adopted, "keep.txt", "not skymount's\n");
        const temporary = await newStack({ name: adopted, sources: [`s3://${source}/some/dir`], persistent: false });
        await sourceUntouchedBy(() => temporary.up());
        assert.deepEqual(await keys(adopted), ["dir/a.txt", "dir/big.bin", "keep.txt"]);
        await sourceUntouchedBy(() => temporary.destroy());
        await s3.send(new HeadBucketCommand({ Bucket: adopted }));
        assert.deepEqual(await keys(adopted), ["keep.txt"]);
    });

    it("copies an object past the single-copy limit in parts, server-side, and only the version it listed", async () => {
        const target = createS3Client({
            endpoint: proxy.endpoint,
            region: testbed.s3.region,
            pathStyle: true,
            accessKey: testbed.s3.accessKey,
            secretKey: testbed.s3.secretKey,
        });
        try {
            const listed = await listPrefix(target, source, "some/dir/");
            assert.deepEqual(Object.keys(listed), ["a.txt", "big.bin"]);
            const object = { bucket: source, key: "some/dir/big.bin", fingerprint: listed["big.bin"] };
            proxy.reset();
            // 5 MiB (S3's smallest part) for a 16 MiB object: four parts.
            await copyObject(target, object, bucket, "parts/big.bin", {
                singleCopyBytes: 5 * 1024 * 1024,
                partBytes: 5 * 1024 * 1024,
                partsInFlight: 2,
            });
            const { sent, received } = proxy.bytes();
            assert.ok(
                sent < CONTROL_TRAFFIC_BYTES && received < CONTROL_TRAFFIC_BYTES,
                `${sent} bytes sent and ${received} received: the copy passed through this machine`,
            );
            assert.match(
                (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "parts/big.bin" }))).ETag!,
                /-4"$/,
                "not assembled from four parts",
            );
            assert.equal(digest(await read(bucket, "parts/big.bin")), digest(big));
            await assert.rejects(
                copyObject(
                    target,
                    { ...object, fingerprint: `${BIG_OBJECT_BYTES}:0123456789abcdef0123456789abcdef` },
                    bucket,
                    "parts/stale.bin",
                ),
                /some\/dir\/big\.bin changed since it was listed; run up again/,
            );
            assert.equal(
                await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "parts/stale.bin" })).then(
                    () => true,
                    () => false,
                ),
                false,
            );
        } finally {
            target.destroy();
        }
    });

    it("refuses a copy from another store at preview, before anything is created", async () => {
        const name = uniqueName("cross");
        const bad = await newStack({ name, sources: ["gs://public-data/sets/train"] });
        await assert.rejects(
            bad.preview(),
            /sources\[0\]: "gs:\/\/public-data\/sets\/train": is on gcs but the bucket is on s3compatible: server-side copy needs source and destination on the same store/,
        );
        const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets ?? [];
        assert.ok(!buckets.some((b) => b.Name === name), `${name} was created`);
    });
});
