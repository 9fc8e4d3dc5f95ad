// The pure layers import nothing from Pulumi: they are planned and tested without an engine.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

const src = path.join(__dirname, "..", "..", "src");
const PURE = [
    "volume/spec.ts", "volume/validate.ts", "volume/plan.ts",
    "storage/spec.ts", "storage/validate.ts", "storage/plan.ts", "storage/resolve.ts", "storage/bucketCopies.ts",
    "sync/diff.ts", "sync/pool.ts", "sync/ignore.ts", "sync/manifest.ts",
    "compute/spec.ts", "compute/validate.ts", "compute/workdir.ts",
    "internal/issues.ts", "internal/zodIssues.ts", "remote/commandDiff.ts", "remote/connection.ts", "provider/schema.ts",
];
const PURE_DIRS = ["scripts"];

describe("architecture", () => {
    const files = [...PURE, ...PURE_DIRS.flatMap((dir) => readdirSync(path.join(src, dir)).map((f) => `${dir}/${f}`))];
    for (const file of files) {
        it(`${file} does not import @pulumi`, () => {
            assert.doesNotMatch(readFileSync(path.join(src, file), "utf8"), /from "@pulumi\//);
        });
    }
});
