import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { planSkyStorage } from "../../src/storage/plan";

const minio = { endpoint: "http://10.0.0.1:9000", hasAccessKey: true, hasSecretKey: true };

describe("planSkyStorage: sources", () => {
    it("local paths become syncs and bucket URIs become copies, each under its basename", () => {
        const plan = planSkyStorage({ name: "data", prefix: "/team/", sources: ["./logs", "s3://public/some//dir/", "s3://whole"], s3Compatible: minio });
        assert.deepEqual(plan.sources, [{ dir: path.resolve("./logs"), keyPrefix: "team/logs/", label: "logs" }]);
        assert.deepEqual(plan.copies, [
            { sourceBucket: "public", sourcePrefix: "some/dir/", keyPrefix: "team/dir/", label: "dir" },
            { sourceBucket: "whole", sourcePrefix: "", keyPrefix: "team/whole/", label: "whole" },
        ]);
    });

    it("a copy without a prefix lands at the bucket root under its basename", () => {
        const plan = planSkyStorage({ name: "data", sources: ["gs://public/sets/train"], gcp: {} });
        assert.equal(plan.store, "gcs");
        assert.deepEqual(plan.copies, [{ sourceBucket: "public", sourcePrefix: "sets/train/", keyPrefix: "train/", label: "train" }]);
        assert.deepEqual(plan.sources, []);
    });

    it("a single local source and an existing bucket copy nothing", () => {
        assert.deepEqual(planSkyStorage({ name: "data", source: "./data", s3Compatible: minio }).copies, []);
        const external = planSkyStorage({ source: "s3://public" });
        assert.deepEqual({ managed: external.managed, sources: external.sources, copies: external.copies }, { managed: false, sources: [], copies: [] });
    });
});
