// The resume check's view of the bucket (src/sync/resources/bucketSync.ts storedForResume): the whole prefix
// listed, or, when few files changed against the last sync's record, only those files asked for.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { storedForResume } from "../../src/sync/resources/bucketSync";
import { Listing, ObjectStore } from "../../src/sync/core/storeInterfaces";

function fakeStore(objects: Record<string, number>) {
    const calls: string[] = [];
    const entry = (size: number) => ({ size, etag: "d41d8cd98f00b204e9800998ecf8427e" });
    const store: ObjectStore = {
        async list(prefix) {
            calls.push(`list ${prefix}`);
            const listing: Listing = new Map();
            for (const [key, size] of Object.entries(objects))
                if (key.startsWith(prefix)) listing.set(key.slice(prefix.length), entry(size));
            return listing;
        },
        async stat(keys) {
            calls.push(`stat ${keys.length}`);
            return new Map(keys.filter((key) => key in objects).map((key) => [key, entry(objects[key])]));
        },
        upload: async () => undefined,
        deleteKeys: async () => undefined,
        close: () => undefined,
    };
    return { store, calls };
}

describe("what the resume check asks the bucket", () => {
    it("one changed file of a big recorded tree: that file only, keyed as the listing would be", async () => {
        const { store, calls } = fakeStore({ "data/a.txt": 5, "data/b.txt": 7 });
        const stored = await storedForResume(store, "data/", ["a.txt", "gone.txt"], 1_000_000);
        assert.deepEqual(calls, ["stat 2"]);
        assert.deepEqual([...stored.keys()], ["a.txt"]);
        assert.equal(stored.get("a.txt")!.size, 5);
    });

    it("lists the prefix when there is no record to compare with, or when many files changed", async () => {
        const { store, calls } = fakeStore({ "data/a.txt": 5, "data/b.txt": 7 });
        assert.deepEqual([...(await storedForResume(store, "data/", ["a.txt"], 0)).keys()].sort(), ["a.txt", "b.txt"]);
        await storedForResume(store, "data/", ["a.txt", "b.txt"], 150);
        await storedForResume(
            store,
            "data/",
            Array.from({ length: 10_001 }, (_, i) => `f${i}`),
            100_000_000,
        );
        assert.deepEqual(calls, ["list data/", "list data/", "list data/"]);
    });
});
