// The transfer engine on a protocol registered by a test (fakeProtocol.ts): a sync and a server-side
// copy run their whole life (preview, create, update, refresh, destroy) through the registry alone,
// and an unknown protocol is refused by name.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { openObjectStore, registerProtocol } from "../../src/sync/protocols/registry";
import { recordLocally } from "../../src/sync/records/manifestRecord";
import { bucketCopyProvider } from "../../src/sync/resources/bucketCopy";
import { bucketSyncProvider } from "../../src/sync/resources/bucketSync";
import { scanTree } from "../../src/sync/scan/manifest";
import type { SyncTarget } from "../../src/sync/core/target";
import { FAKE_TARGET, fakeBuckets, fakeProtocol } from "./fakeProtocol";

const work = mkdtempSync(path.join(tmpdir(), "skymount-protocols-"));
process.env.SKYMOUNT_CACHE = path.join(work, "cache");
after(() => rmSync(work, { recursive: true, force: true }));

type State = Record<string, unknown> & { summary?: string };

/** A transfer's inputs for a manifest as the program passes them: recorded locally, small enough for the state. */
async function recordedInputs(manifest: Record<string, string>): Promise<State> {
    const ref = await recordLocally(manifest);
    const place = { record: ref.inline, recordKeptIn: "state", deleteOnDestroy: true };
    return { target: FAKE_TARGET, manifestDigest: ref.digest, fileCount: ref.files, totalBytes: ref.bytes, ...place };
}

/** The inputs of a sync of `dir`: the tree scanned and recorded. */
async function syncInputs(dir: string): Promise<State> {
    const recorded = await recordedInputs((await scanTree(dir)).manifest);
    return { ...recorded, bucket: "fake-data", keyPrefix: "train/", sourceDir: dir, ignore: [] };
}

const keys = (bucket: string) => [...(fakeBuckets.get(bucket)?.keys() ?? [])].sort();
const text = (bucket: string, key: string) => fakeBuckets.get(bucket)?.get(key)?.toString();

describe("a data-path protocol registered by a test", () => {
    let unregister: () => void;
    before(() => (unregister = registerProtocol(fakeProtocol)));
    after(() => unregister());

    it("carries a sync's whole life: preview, create, update, refresh, destroy", async () => {
        fakeBuckets.set("fake-data", new Map([["someone-elses.txt", Buffer.from("not ours")]]));
        const dir = path.join(work, "tree");
        mkdirSync(path.join(dir, "d"), { recursive: true });
        writeFileSync(path.join(dir, "a.txt"), "hello");
        writeFileSync(path.join(dir, "d", "b.txt"), "world");
        const first = await syncInputs(dir);
        const checked = (await bucketSyncProvider.check!(undefined, first)).inputs as State;
        assert.equal(checked.summary, "2 added (a.txt, d/b.txt); 0 changed; 0 removed");
        const created = (await bucketSyncProvider.create(checked)).outs as State;
        assert.deepEqual(keys("fake-data"), ["someone-elses.txt", "train/a.txt", "train/d/b.txt"]);

        writeFileSync(path.join(dir, "a.txt"), "hello again");
        unlinkSync(path.join(dir, "d", "b.txt"));
        writeFileSync(path.join(dir, "c.txt"), "new");
        const second = (await bucketSyncProvider.check!(created, await syncInputs(dir))).inputs as State;
        assert.equal(second.summary, "1 added (c.txt); 1 changed (a.txt); 1 removed (d/b.txt)");
        assert.equal((await bucketSyncProvider.diff!("id", created, second)).changes, true);
        const updated = (await bucketSyncProvider.update!("id", created, second)).outs as State;
        assert.deepEqual(keys("fake-data"), ["someone-elses.txt", "train/a.txt", "train/c.txt"]);
        assert.equal(text("fake-data", "train/a.txt"), "hello again");

        fakeBuckets.get("fake-data")!.delete("train/c.txt");
        const refreshed = (await bucketSyncProvider.read!("id", updated)).props as State;
        assert.equal(refreshed.summary, "drift: 1 gone from the bucket (c.txt)");
        const again = (await bucketSyncProvider.check!(refreshed, await syncInputs(dir))).inputs as State;
        assert.equal(again.summary, "1 added (c.txt); 0 changed; 0 removed");

        await bucketSyncProvider.delete!("id", refreshed);
        assert.deepEqual(keys("fake-data"), ["someone-elses.txt"]);
    });

    it("carries a server-side copy: the source listed, copied, resumed, and only its copies deleted", async () => {
        fakeBuckets.set(
            "fake-source",
            new Map([
                ["sets/x.bin", Buffer.from("x")],
                ["sets/y/z.bin", Buffer.from("zz")],
            ]),
        );
        fakeBuckets.set("fake-dest", new Map([["mine.txt", Buffer.from("mine")]]));
        const store = fakeProtocol.copyStore({ kind: "fake" }, undefined);
        const recorded = await recordedInputs(await store.list("fake-source", "sets/"));
        const inputs = { ...recorded, bucket: "fake-dest", keyPrefix: "sets/", sourceBucket: "fake-source", sourcePrefix: "sets/" };
        // An interrupted run copied one already: it is found and not copied again.
        fakeBuckets.get("fake-dest")!.set("sets/x.bin", Buffer.from("x"));
        const created = (await bucketCopyProvider.create(inputs)).outs as State;
        assert.equal(created.summary, "2 added (x.bin, y/z.bin); 0 changed; 0 removed; 1 already in the bucket");
        assert.deepEqual(keys("fake-dest"), ["mine.txt", "sets/x.bin", "sets/y/z.bin"]);
        await bucketCopyProvider.delete!("id", created);
        assert.deepEqual(keys("fake-dest"), ["mine.txt"]);
    });

    it("is the only way to a protocol: an unknown kind is refused by name", () => {
        assert.throws(
            () => openObjectStore({ kind: "ftp" } as unknown as SyncTarget, undefined, "b"),
            /no data path for targets of kind "ftp": one of s3, azure, fake/,
        );
    });
});
