// The layering of src/ (docs/ARCHITECTURE.md, "Layers"): no import cycles, imports only down the layer
// order (and down the inner layers of storeFamilies/ and computeDrivers/), no @pulumi/* values and no
// I/O in the pure files (they are planned and tested without an engine or a disk), and every
// top-level folder placed in a layer. The rules and the layer table are in test/support/importGraph.ts.
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { existsSync, readdirSync } from "node:fs";
import { checkImportGraph, INNER_LAYERS, PURE, Rule } from "../support/importGraph";

const src = path.join(__dirname, "..", "..", "src");

describe("architecture", () => {
    const violations = checkImportGraph(src);
    const RULES: Record<Rule, string> = {
        cycle: "has no import cycles",
        layer: "imports only its own folder and lower layers",
        inner: "imports only its own entry and lower inner layers inside the folders that have them",
        pure: "loads no @pulumi/* module and does no I/O in a pure file",
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

    it("places every file and subfolder of a folder with inner layers (a new one is ranked before it lands)", () => {
        for (const [folder, layers] of Object.entries(INNER_LAYERS)) {
            const placed = new Set(layers.flat());
            const entries = readdirSync(path.join(src, folder)).filter((entry) => !entry.endsWith(".d.ts"));
            assert.deepEqual(
                entries.filter((entry) => !placed.has(entry)),
                [],
                `${folder}: place these in INNER_LAYERS`,
            );
            assert.deepEqual(
                [...placed].filter((entry) => !entries.includes(entry)),
                [],
                `${folder}: INNER_LAYERS names entries that are gone`,
            );
        }
    });

    for (const [rule, what] of Object.entries(RULES)) {
        it(`src/ ${what}`, () => {
            const found = violations.filter((v) => v.rule === rule).map((v) => v.message);
            if (found.length > 0) assert.fail(`${found.length} violation(s):\n  ${found.join("\n  ")}`);
        });
    }
});
