// A source sync's state does not grow with the tree: a 20,000-file manifest is too large for the
// state, so its record goes to the records location SkyStorage names (another bucket here) and the
// local cache, and the state keeps its digest; the bucket the sync fills holds exactly the tree.
// Checked: the exported state stays under 256 KiB (skymount installed from its npm package, as users
// run it, so the dynamic providers are `require`s of the package); a second machine (an empty cache)
// previews, changes and deletes from the record in the records location alone; a record deleted out
// of band makes the sync upload what differs and delete nothing, and says so.
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Storage } from "../../src";
import { installPackedSkymount } from "../../tools/packInstall";
import { programsDir, readTree, requireTestbed, s3ClientFor, stackFor, uniqueName } from "./support/testbed";

const FILES = 20_000;
const STATE_LIMIT_BYTES = 256 * 1024;

function makeTree(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "skymount-state-"));
    for (let d = 0; d < 100; d++) mkdirSync(path.join(dir, `d${d}`));
    for (let i = 0; i < FILES; i++) writeFileSync(path.join(dir, `d${i % 100}`, `f${i}.txt`), `file ${i}\n`);
    return dir;
}

describe("a 20,000-file sync's state", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const client = new Storage({ ...testbed.s3, pathStyle: true });
    const bucket = uniqueName("state");
    const recordsBucket = uniqueName("records");
    const tree = makeTree();
    const caches = ["a", "b", "c"].map((machine) => mkdtempSync(path.join(tmpdir(), `skymount-cache-${machine}-`)));
    let stack: Stack;
    let backendDir: string;

    /** Every key of a bucket (the synced one by default). */
    const keys = async (of = bucket) => {
        const all: string[] = [];
        let token: string | undefined;
        do {
            const page = await s3.send(new ListObjectsV2Command({ Bucket: of, ContinuationToken: token }));
            for (const o of page.Contents ?? []) all.push(o.Key!);
            token = page.NextContinuationToken;
        } while (token);
        return all;
    };
    /** The sync's records in the records location: `<prefix><bucket>/<keyPrefix>manifest-<digest>.gz`. */
    const records = async () => (await keys(recordsBucket)).filter((key) => key.startsWith(`skymount/${bucket}/manifest-`));
    /** The machine the next command runs on: its own skymount cache. */
    const onMachine = (cache: string) => (stack.workspace.envVars.SKYMOUNT_CACHE = cache);

    before(async () => {
        installPackedSkymount(path.join(programsDir, "installed"));
        await s3.send(new CreateBucketCommand({ Bucket: recordsBucket }));
        ({ stack, backendDir } = await stackFor("installed", { bucket, source: tree, records: `s3://${recordsBucket}/skymount/` }));
    });

    after(async () => {
        await stack.destroy().catch(() => undefined);
        for (const key of await client.ls(bucket).catch(() => [])) await client.rm(bucket, key);
        await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
        for (const key of await client.ls(recordsBucket).catch(() => [])) await client.rm(recordsBucket, key);
        await s3.send(new DeleteBucketCommand({ Bucket: recordsBucket })).catch(() => undefined);
        client.close();
        for (const dir of [tree, backendDir, ...caches, path.join(programsDir, "installed", "node_modules")])
            rmSync(dir, { recursive: true, force: true });
    });

    it("stays under 256 KiB, with the manifest recorded in the records location and the bucket holding exactly the tree", async () => {
        onMachine(caches[0]);
        let started = Date.now();
        const up = await stack.up();
        console.log(`# ${FILES} files: up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.match(
            up.outputs.syncSummaries.value[0],
            /^20000 added \(d0\/f0\.txt, d0\/f100\.txt, .*, … \(\+19900\)\); 0 changed; 0 removed$/,
        );
        const state = JSON.stringify((await stack.exportStack()).deployment);
        // The serialized dynamic providers are the code, not the data: for npm users, a few KiB that
        // `require` the module defining each resource's logic (src/resource/moduleReference.ts).
        const providers = [...state.matchAll(/"__provider":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
        assert.ok(providers.length >= 2, "the bucket's and the sync's serialized providers are in the state");
        for (const provider of providers) {
            assert.ok(provider.length < 8 * 1024, `a serialized provider of ${provider.length} bytes`);
            assert.match(provider, /specifier: "skymount\/dist\/(storeFamilies|sync)\/[\w/]+\.js"/);
        }
        const data = state.replace(/"__provider":"(?:[^"\\]|\\.)*"/g, '"__provider":""');
        console.log(
            `# ${FILES} files: state ${(state.length / 1024).toFixed(1)} KiB, ${(data.length / 1024).toFixed(1)} KiB without the serialized providers`,
        );
        assert.ok(state.length < STATE_LIMIT_BYTES, `state of ${state.length} bytes`);
        assert.ok(data.length < 32 * 1024, `state of ${data.length} bytes without the serialized providers`);
        assert.ok(!state.includes("d7/f1007.txt\t"), "no manifest line in the state");
        assert.ok(!readTree(backendDir).includes(testbed.s3.secretKey), "the secret key is in the state in plaintext");
        assert.equal((await records()).length, 1);
        assert.equal((await keys()).length, FILES);

        started = Date.now();
        const preview = await stack.preview();
        console.log(`# ${FILES} files: no-op preview in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.deepEqual(preview.changeSummary, { same: 4 });
    });

    it("another machine (an empty cache) diffs against the record in the records location: changes and removals are exact", async () => {
        onMachine(caches[1]);
        writeFileSync(path.join(tree, "d3", "f3.txt"), "changed\n");
        unlinkSync(path.join(tree, "d4", "f4.txt"));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "d5/foreign.txt", Body: "not the sync's" }));
        const preview = await stack.preview({ diff: true });
        assert.deepEqual(preview.changeSummary, { same: 3, update: 1 });
        assert.match(preview.stdout, /1 changed \(d3\/f3\.txt\); 1 removed \(d4\/f4\.txt\)/);
        const up = await stack.up();
        assert.deepEqual(up.outputs.syncSummaries.value, ["0 added; 1 changed (d3/f3.txt); 1 removed (d4/f4.txt)"]);
        const now = await keys();
        assert.ok(!now.includes("d4/f4.txt") && now.includes("d5/foreign.txt"));
        // The previous record stays until the next sync: a state the engine failed to write still names a record.
        assert.equal((await records()).length, 2);
    });

    it("a record deleted out of band: the next up (on a third machine) deletes nothing and says so", async () => {
        // The machine that made the record still has it in its cache (and puts it back at its next sync).
        onMachine(caches[2]);
        for (const key of await records()) await s3.send(new DeleteObjectCommand({ Bucket: recordsBucket, Key: key }));
        writeFileSync(path.join(tree, "d3", "f3.txt"), "changed again\n");
        unlinkSync(path.join(tree, "d6", "f6.txt"));
        const up = await stack.up();
        const summary = String(up.outputs.syncSummaries.value[0]);
        assert.match(summary, /^19998 added .*; 19997 already in the bucket; warning: the record of the last sync, .* is gone/);
        assert.ok((await keys()).includes("d6/f6.txt"), "an object it could not prove it uploaded was deleted");
        assert.equal((await records()).length, 1);
    });

    it("destroy succeeds and, the bucket not being persistent, takes it along", async () => {
        const destroy = await stack.destroy();
        assert.equal(destroy.summary.result, "succeeded");
        // The bucket is not persistent: emptied and deleted with it.
        await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: bucket })), { name: "NoSuchBucket" });
        assert.deepEqual(await records(), [], "its records went with it");
    });
});
