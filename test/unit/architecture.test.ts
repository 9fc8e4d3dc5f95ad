// The layering of src/ (docs/ARCHITECTURE.md, "Layers"): no import cycles, imports only down the layer
// order, no @pulumi/* values in the pure files (they are planned and tested without an engine), and
// every top-level folder placed in a layer. The rules and the layer table are in test/support/importGraph.ts.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { checkImportGraph, PURE, Rule } from "../support/importGraph";

const src = path.join(__dirname, "..", "..", "src");

describe("architecture", () => {
    const violations = checkImportGraph(src);
    const RULES: Record<Rule, string> = {
        cycle: "has no import cycles",
        layer: "imports only its own folder and lower layers",
        pure: "loads no @pulumi/* module in a pure file",
        unplaced: "places every top-level folder in a layer",
        unresolved: "resolves every relative import",
    };

    it("reads the whole tree", () => {
        assert.ok(existsSync(path.join(src, "index.ts")), `${src}/index.ts`);
    });

    it("lists only pure files that exist (a moved file is listed under its new path)", () => {
        const missing = PURE.files.filter((file) => !existsSync(path.join(src, file)));
        assert.deepEqual(missing, [], `PURE.files in test/support/importGraph.ts names files that are gone: ${missing.join(", ")}`);
    });

    for (const [rule, what] of Object.entries(RULES)) {
        it(`src/ ${what}`, () => {
            const found = violations.filter((v) => v.rule === rule).map((v) => v.message);
            if (found.length > 0) assert.fail(`${found.length} violation(s):\n  ${found.join("\n  ")}`);
        });
    }
});
