// Drift on the storage side, as `pulumi refresh` sees it: objects of a source sync removed or
// overwritten out of band, a managed bucket deleted out of band, an adopted bucket deleted out of
// band. Each test compares every object with the local tree before and after: nothing is lost, and
// only what drifted is uploaded again.
import {
    CreateBucketCommand,
    DeleteBucketCommand,
    DeleteObjectCommand,
    HeadBucketCommand,
    ListObjectsV2Command,
    PutObjectCommand,
} from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { Storage } from "../../src";
import { BlobClient } from "../../src/clients/azureBlobClient";
import { readTree, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

const FILES = 20;

/** A tree of FILES small files in two directories; returns its directory. */
function makeTree(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "skymount-drift-"));
    for (let i = 0; i < FILES; i++) {
        mkdirSync(path.join(dir, `d${i % 2}`), { recursive: true });
        writeFileSync(path.join(dir, `d${i % 2}`, `f${i}.txt`), `file ${i}\n`.repeat(50 + i));
    }
    return dir;
}

/**
 * What refresh recorded: the BucketSync's summary in the stack's state, and the manifest its digest
 * names, read from the sync's record, which a tree this small keeps in the state (a secret, which
 * exportStack shows).
 */
async function syncOutputs(stack: Stack): Promise<{ summary: string; files: string }> {
    const state = await stack.exportStack();
    const resources = (state.deployment.resources ?? []) as Array<{ type: string; outputs?: Record<string, unknown> }>;
    const sync = resources.find((r) => r.type.endsWith("BucketSync"));
    assert.ok(sync?.outputs, "the stack has a BucketSync");
    assert.equal(sync.outputs.recordKeptIn, "state");
    const secret = sync.outputs.record as { plaintext?: string } | string;
    const record = typeof secret === "string" ? secret : (JSON.parse(secret.plaintext!) as string);
    const files = gunzipSync(Buffer.from(record, "base64")).toString("utf8");
    return { summary: String(sync.outputs.summary), files };
}

const md5 = (content: Buffer | string) => createHash("md5").update(content).digest("hex");

describe("storage drift seen by refresh", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const client = new Storage({ ...testbed.s3, pathStyle: true });
    const made: Array<{ stack: Stack; backendDir: string; bucket: string }> = [];
    const trees: string[] = [];

    /** Every object of the bucket: key → { etag (the MD5 of a single-part upload), last modified }. */
    const objects = async (bucket: string) => {
        const all = new Map<string, { etag: string; modified: number }>();
        let token: string | undefined;
        do {
            const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
            for (const o of page.Contents ?? []) all.set(o.Key!, { etag: o.ETag!.replace(/"/g, ""), modified: o.LastModified!.getTime() });
            token = page.NextContinuationToken;
        } while (token);
        return all;
    };
    /** Every local file's key and MD5. */
    const localFiles = (tree: string) =>
        new Map(
            Array.from({ length: FILES }, (_, i) => {
                const key = `d${i % 2}/f${i}.txt`;
                return [key, md5(readFileSync(path.join(tree, key)))] as const;
            }),
        );
    /** Nothing lost: the bucket holds every local file with exactly its content. */
    const assertBucketHoldsTree = async (bucket: string, tree: string) => {
        const stored = await objects(bucket);
        for (const [key, digest] of localFiles(tree)) assert.equal(stored.get(key)?.etag, digest, `${key} in ${bucket}`);
    };
    const newStack = async (bucket: string, persistent = true) => {
        const tree = makeTree();
        trees.push(tree);
        const { stack, backendDir } = await stackFor("storage", { args: JSON.stringify({ name: bucket, source: tree, persistent }) });
        made.push({ stack, backendDir, bucket });
        return { stack, tree, backendDir };
    };

    after(async () => {
        for (const { stack, backendDir, bucket } of made) {
            await stack.destroy().catch(() => undefined);
            for (const key of await client.ls(bucket).catch(() => [])) await client.rm(bucket, key);
            await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
            rmSync(backendDir, { recursive: true, force: true });
        }
        for (const tree of trees) rmSync(tree, { recursive: true, force: true });
        client.close();
    });

    describe("objects removed or overwritten out of band", () => {
        const bucket = uniqueName("drift");
        let stack: Stack;
        let tree: string;
        let backendDir: string;

        before(async () => {
            ({ stack, tree, backendDir } = await newStack(bucket));
            await stack.up();
            await assertBucketHoldsTree(bucket, tree);
        });

        it("pulumi refresh after rm of an object from a synced bucket shows the drift, and pulumi up --refresh restores it", async () => {
            const before = await objects(bucket);
            await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "d0/f4.txt" }));
            // Same size, other content: only the digest can tell.
            const original = readFileSync(path.join(tree, "d1/f7.txt"));
            await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "d1/f7.txt", Body: Buffer.from(original.toString().toUpperCase()) }));
            await new Promise((r) => setTimeout(r, 1100));

            let started = Date.now();
            const refresh = await stack.refresh();
            console.log(`# objects removed/overwritten: refresh saw the drift in ${((Date.now() - started) / 1000).toFixed(1)} s`);
            assert.deepEqual(refresh.summary.resourceChanges, { update: 1, same: 3 });
            const recorded = await syncOutputs(stack);
            assert.equal(recorded.summary, "drift: 1 gone from the bucket (d0/f4.txt); 1 changed in the bucket (d1/f7.txt)");
            assert.ok(!recorded.files.includes("d0/f4.txt"), "the removed object left the recorded manifest");
            assert.match(recorded.files, /^d1\/f7\.txt\t\d+:changed-in-bucket$/m);
            // Refresh keeps secrets secret: the state holds no plaintext key.
            assert.ok(!readTree(backendDir).includes(testbed.s3.secretKey), "the secret key is in the state in plaintext");

            started = Date.now();
            const up = await stack.up({ refresh: true });
            console.log(`# objects removed/overwritten: up --refresh restored them in ${((Date.now() - started) / 1000).toFixed(1)} s`);
            assert.deepEqual(up.summary.resourceChanges, { update: 1, same: 3 });
            assert.deepEqual(up.outputs.syncSummaries.value, ["1 added (d0/f4.txt); 1 changed (d1/f7.txt); 0 removed"]);
            await assertBucketHoldsTree(bucket, tree);
            // Exactly the two objects went up again: every other object is the one uploaded first.
            const after = await objects(bucket);
            const reuploaded = [...after].filter(([key, o]) => o.modified !== before.get(key)?.modified).map(([key]) => key);
            assert.deepEqual(reuploaded.sort(), ["d0/f4.txt", "d1/f7.txt"]);
        });

        it("a plain up after a refresh repairs the same way, and then nothing is left to do", async () => {
            await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "d1/f11.txt" }));
            const refresh = await stack.refresh();
            assert.deepEqual(refresh.summary.resourceChanges, { update: 1, same: 3 });
            const up = await stack.up();
            assert.deepEqual(up.outputs.syncSummaries.value, ["1 added (d1/f11.txt); 0 changed; 0 removed"]);
            await assertBucketHoldsTree(bucket, tree);
            const again = await stack.refresh();
            assert.deepEqual(again.summary.resourceChanges, { same: 4 });
            const noop = await stack.preview();
            assert.deepEqual(noop.changeSummary, { same: 4 });
        });
    });

    describe("a managed bucket deleted out of band", () => {
        const bucket = uniqueName("drift-gone");
        let stack: Stack;
        let tree: string;

        before(async () => {
            ({ stack, tree } = await newStack(bucket));
            await stack.up();
        });

        it("is reported gone by refresh, then recreated and refilled by the next up", async () => {
            for (const key of await client.ls(bucket)) await client.rm(bucket, key);
            await s3.send(new DeleteBucketCommand({ Bucket: bucket }));

            let started = Date.now();
            const refresh = await stack.refresh();
            console.log(`# bucket deleted: refresh reported it gone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
            // The bucket leaves the state; its sync records that the bucket holds nothing.
            assert.deepEqual(refresh.summary.resourceChanges, { delete: 1, update: 1, same: 2 });
            started = Date.now();
            const up = await stack.up();
            console.log(`# bucket deleted: the next up recreated and refilled it in ${((Date.now() - started) / 1000).toFixed(1)} s`);
            assert.deepEqual(up.summary.resourceChanges, { create: 1, update: 1, same: 2 });
            await s3.send(new HeadBucketCommand({ Bucket: bucket }));
            await assertBucketHoldsTree(bucket, tree);
            assert.deepEqual((await stack.preview()).changeSummary, { same: 4 });
        });
    });

    describe("an adopted bucket deleted out of band", () => {
        const bucket = uniqueName("drift-adopted");
        let stack: Stack;

        before(async () => {
            await s3.send(new CreateBucketCommand({ Bucket: bucket }));
            ({ stack } = await newStack(bucket));
            await stack.up();
        });

        it("fails refresh with a message naming the bucket and the ways out", async () => {
            for (const key of await client.ls(bucket)) await client.rm(bucket, key);
            await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
            await assert.rejects(
                stack.refresh(),
                new RegExp(
                    `bucket ${bucket} at ${testbed.s3.endpoint.replace(/\./g, "\\.")} no longer exists\\. It existed before this stack \\(adopted\\)`,
                ),
            );
            // Recreated by its owner, the next up refills it.
            await s3.send(new CreateBucketCommand({ Bucket: bucket }));
            await stack.refresh();
            await stack.up();
            assert.equal((await client.ls(bucket)).length, FILES);
        });
    });
});

describe("storage drift seen by refresh, on Azure Blob", () => {
    const testbed = requireTestbed();
    const blobs = new BlobClient({ endpoint: testbed.azure.endpoint, account: testbed.azure.account, key: testbed.azure.key });
    const container = uniqueName("azdrift");
    const copied = uniqueName("azdriftcopy");
    const copySource = uniqueName("azdriftsrc");
    const sourceDir = mkdtempSync(path.join(tmpdir(), "skymount-azdrift-"));
    const local = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.txt`, `blob ${i}\n`.repeat(20 + i)]));
    const sources = { "sets/x/a.csv": "a1\n", "sets/x/b.csv": "b1\n" };
    let stack: Stack;
    let backendDir: string;

    const put = (inContainer: string, blob: string, text: string) =>
        blobs.putBlob(inContainer, blob, { length: Buffer.byteLength(text), open: () => Buffer.from(text) });
    /** Nothing lost: both containers hold exactly what they should, blob by blob. */
    const assertContainersHold = async () => {
        for (const [file, text] of Object.entries(local)) assert.equal(await blobs.getBlobText(container, file), text, file);
        for (const [blob, text] of Object.entries(sources))
            assert.equal(await blobs.getBlobText(copied, blob.replace(/^sets\//, "")), text, blob);
    };

    before(async () => {
        for (const [file, text] of Object.entries(local)) writeFileSync(path.join(sourceDir, file), text);
        await blobs.createContainer(copySource);
        for (const [blob, text] of Object.entries(sources)) await put(copySource, blob, text);
        const copyFrom = `https://${testbed.azure.account}.blob.core.windows.net/${copySource}/sets/x`;
        ({ stack, backendDir } = await stackFor("azurestorage", { container, copied, sourceDir, copyFrom }));
        await stack.up();
        await assertContainersHold();
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        if (backendDir) rmSync(backendDir, { recursive: true, force: true });
        rmSync(sourceDir, { recursive: true, force: true });
        for (const name of [container, copied, copySource]) await blobs.deleteContainer(name).catch(() => undefined);
        blobs.destroy();
    });

    it("blobs removed or overwritten in a synced container and in a copied one: refresh shows them, up --refresh restores exactly them", async () => {
        await blobs.deleteBlob(container, "f1.txt");
        await put(container, "f2.txt", local["f2.txt"].toUpperCase());
        await blobs.deleteBlob(copied, "x/a.csv");
        const refresh = await stack.refresh();
        assert.deepEqual(refresh.summary.resourceChanges, { update: 2, same: 5 });
        const up = await stack.up({ refresh: true });
        assert.equal(up.outputs.summary.value, "1 added (f1.txt); 1 changed (f2.txt); 0 removed");
        assert.equal(up.outputs.copySummary.value, "1 added (a.csv); 0 changed; 0 removed");
        await assertContainersHold();
    });

    it("a container deleted out of band is reported gone by refresh, then recreated and refilled by the next up", async () => {
        await blobs.deleteContainer(container);
        const refresh = await stack.refresh();
        assert.deepEqual(refresh.summary.resourceChanges, { delete: 1, update: 1, same: 5 });
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { create: 1, update: 1, same: 5 });
        await assertContainersHold();
        assert.deepEqual((await stack.preview()).changeSummary, { same: 7 });
    });
});
