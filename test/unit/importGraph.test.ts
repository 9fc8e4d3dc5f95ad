// The import-graph checker behind architecture.test.ts, on small trees written to a temporary directory:
// each rule is shown failing on a deliberately added violation, and a clean tree passes.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { checkImportGraph, importsOf } from "../support/importGraph";

const temporary = mkdtempSync(path.join(tmpdir(), "skymount-import-graph-"));
after(() => rmSync(temporary, { recursive: true, force: true }));

/** A clean tree: every import goes down the layers or stays in its folder. */
const CLEAN: Record<string, string> = {
    "model/storageRef.ts": `import type * as pulumi from "@pulumi/pulumi";\nexport interface StorageRef { bucket: pulumi.Input<string> }\n`,
    "internal/issues.ts": `export const issue = (rule: string) => rule;\n`,
    "sync/diff.ts": `import { issue } from "../internal/issues";\nexport const diff = issue;\n`,
    "sync/bucketSync.ts": `import * as pulumi from "@pulumi/pulumi";\nimport { diff } from "./diff";\nexport { diff, pulumi };\n`,
    "hostScripts/mount.ts": `import type { StorageRef } from "../model/storageRef";\nexport type Mount = StorageRef;\n`,
    "storeFamilies/aws.ts": `import { diff } from "../sync/diff";\nexport const aws = diff;\n`,
    "skyStorage/plan.ts": `import { aws } from "../storeFamilies/aws";\nimport "../model/storageRef";\nexport const plan = aws;\n`,
    "skyStorage/sub/deep.ts": `export * from "../plan";\n`,
    "skyVolume/index.ts": `import { issue } from "../internal/issues";\nexport const volume = issue;\n`,
    "skyCompute/skyCompute.ts": `import { volume } from "../skyVolume";\nimport { plan } from "../skyStorage/plan";\nexport const compute = [volume, plan];\n`,
    "provider/main.ts": `const compute = require("../skyCompute/skyCompute");\nexport default compute;\n`,
    "index.ts": `export { compute } from "./skyCompute/skyCompute";\n`,
};

let trees = 0;
/** Writes the clean tree with `changes` applied (undefined deletes a file) under a fresh src/; returns its path. */
function tree(changes: Record<string, string | undefined> = {}): string {
    const root = path.join(temporary, `tree${trees++}`, "src");
    for (const [file, text] of Object.entries({ ...CLEAN, ...changes })) {
        if (text === undefined) continue;
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), text);
    }
    return root;
}

/** The rules without inner layers: the small trees have flat folders (inner layers have their own test below). */
const messages = (root: string) => checkImportGraph(root, undefined, {}).map((v) => `[${v.rule}] ${v.message}`);
const messagesWith = (root: string, inner: Record<string, string[][]>) =>
    checkImportGraph(root, undefined, inner).map((v) => `[${v.rule}] ${v.message}`);

describe("importsOf", () => {
    it("reads imports, re-exports, import(), require() and import types; not comments or strings", () => {
        const text = [
            `import a from "./a";`,
            `import type { B } from "./b";`,
            `import { type C, type D } from "./cd";`,
            `import { type E, f } from "./ef";`,
            `import "./side-effect";`,
            `export * from "./all";`,
            `export type { G } from "./g";`,
            `import h = require("./h");`,
            `type I = typeof import("./i");`,
            `const j = () => import("./j");`,
            `const k = require("./k");`,
            `// import { x } from "./commented";`,
            `/* require("./block-comment") */`,
            `const s = 'import { y } from "./in-a-string"';`,
            'const t = `require("./in-a-template")`;',
        ].join("\n");
        assert.deepEqual(importsOf("x.ts", text), [
            { specifier: "./a", typeOnly: false },
            { specifier: "./b", typeOnly: true },
            { specifier: "./cd", typeOnly: true },
            { specifier: "./ef", typeOnly: false },
            { specifier: "./side-effect", typeOnly: false },
            { specifier: "./all", typeOnly: false },
            { specifier: "./g", typeOnly: true },
            { specifier: "./h", typeOnly: false },
            { specifier: "./i", typeOnly: true },
            { specifier: "./j", typeOnly: false },
            { specifier: "./k", typeOnly: false },
        ]);
    });
});

describe("checkImportGraph", () => {
    it("passes a clean tree", () => {
        assert.deepEqual(messages(tree()), []);
    });

    it("reports a cycle, naming its files in order", () => {
        const root = tree({
            "skyStorage/validate.ts": `import { copySource } from "./copySource";\nexport const validate = copySource;\n`,
            "skyStorage/copySource.ts": `import type { validate } from "./validate";\nexport const copySource = 1 as unknown as typeof validate;\n`,
        });
        assert.deepEqual(messages(root), [
            "[cycle] cycle: src/skyStorage/copySource.ts → src/skyStorage/validate.ts → src/skyStorage/copySource.ts",
        ]);
    });

    it("reports a cycle through three files and a folder's index.ts", () => {
        const root = tree({
            "sync/objectStore.ts": `import { transfer } from "./transfer";\nexport const objectStore = transfer;\n`,
            "sync/transfer.ts": `import { azure } from "./azure";\nexport const transfer = azure;\n`,
            "sync/azure/index.ts": `export { objectStore as azure } from "../objectStore";\n`,
        });
        assert.deepEqual(messages(root), [
            "[cycle] cycle: src/sync/azure/index.ts → src/sync/objectStore.ts → src/sync/transfer.ts → src/sync/azure/index.ts",
        ]);
    });

    it("reports a self-import", () => {
        const root = tree({
            "internal/issues.ts": `import * as self from "./issues";\nexport const issue = (rule: string) => [rule, self];\n`,
        });
        assert.deepEqual(messages(root), ["[cycle] cycle: src/internal/issues.ts → src/internal/issues.ts"]);
    });

    it("reports an import of a higher rank, type-only ones included", () => {
        const root = tree({
            "hostScripts/mount.ts": `import type { plan } from "../skyStorage/plan";\nexport type Mount = typeof plan;\n`,
        });
        assert.deepEqual(messages(root), [
            "[layer] src/hostScripts/mount.ts imports src/skyStorage/plan.ts: hostScripts (rank 2) must not import skyStorage (rank 4): a higher rank",
        ]);
    });

    it("reports an import of another folder of the same rank", () => {
        const root = tree({ "skyVolume/index.ts": `import { plan } from "../skyStorage/plan";\nexport const volume = plan;\n` });
        assert.deepEqual(messages(root), [
            "[layer] src/skyVolume/index.ts imports src/skyStorage/plan.ts: skyVolume (rank 4) must not import skyStorage (rank 4): same rank, another folder",
        ]);
    });

    it("reports an import of provider/ from below, by require() too", () => {
        const root = tree({
            "skyCompute/skyCompute.ts": `const main = require("../provider/main");\nexport const compute = main;\n`,
            "provider/main.ts": `export default 1;\n`,
        });
        assert.deepEqual(messages(root), [
            "[layer] src/skyCompute/skyCompute.ts imports src/provider/main.ts: skyCompute (rank 5) must not import provider (rank 7): a higher rank",
        ]);
    });

    it("reports a @pulumi value import in a pure file, not an import type", () => {
        const root = tree({
            "skyStorage/plan.ts": `import * as pulumi from "@pulumi/pulumi";\nexport const plan = pulumi;\n`,
            "skyVolume/spec.ts": `import type * as pulumi from "@pulumi/pulumi";\nexport type Spec = pulumi.Input<string>;\n`,
            "hostScripts/mount.ts": `import { Output } from "@pulumi/pulumi";\nexport const mount = Output;\n`,
            "sync/core/fingerprint.ts": `export const aws = () => require("@pulumi/aws");\n`,
            "model/storageRef.ts": `import { type Input } from "@pulumi/pulumi";\nexport interface StorageRef { bucket: Input<string> }\n`,
        });
        assert.deepEqual(messages(root), [
            "[pure] src/hostScripts/mount.ts imports @pulumi/pulumi: a pure file loads no @pulumi/* module (`import type` is allowed)",
            "[pure] src/skyStorage/plan.ts imports @pulumi/pulumi: a pure file loads no @pulumi/* module (`import type` is allowed)",
            "[pure] src/sync/core/fingerprint.ts imports @pulumi/aws: a pure file loads no @pulumi/* module (`import type` is allowed)",
        ]);
    });

    it("reports I/O in a pure file (files, processes, threads), not computation", () => {
        const root = tree({
            "skyStorage/validate.ts": `import { statSync } from "node:fs";\nexport const kind = statSync;\n`,
            "hostScripts/run.ts": `import { execFileSync } from "child_process";\nimport { createHash } from "node:crypto";\nexport const run = [execFileSync, createHash];\n`,
            "model/storageRef.ts": `import type { Stats } from "node:fs";\nexport type S = Stats;\n`,
        });
        assert.deepEqual(messages(root), [
            "[pure] src/hostScripts/run.ts imports child_process: a pure file does no I/O, starts no process or thread (name the file as what it does and keep it at the edge)",
            "[pure] src/skyStorage/validate.ts imports node:fs: a pure file does no I/O, starts no process or thread (name the file as what it does and keep it at the edge)",
        ]);
    });

    it("reports a pure file of sync/ that loads a file that is not pure, not an import type of one", () => {
        const root = tree({
            "sync/core/diff.ts": `import { scan } from "../scan/tree";\nimport type { Tree } from "../scan/tree";\nexport const diff = scan;\nexport type T = Tree;\n`,
            "sync/core/target.ts": `import type { Tree } from "../scan/tree";\nexport type Target = Tree;\n`,
            "sync/scan/tree.ts": `export const scan = 1;\nexport type Tree = number;\n`,
        });
        assert.deepEqual(messages(root), [
            "[pure] src/sync/core/diff.ts imports src/sync/scan/tree.ts: a pure file loads only pure files (`import type` is allowed); make the target pure or list it in PURE",
        ]);
    });

    it("ranks the entries inside a folder with inner layers: sideways and upward imports, and unplaced entries", () => {
        const layers = { storeFamilies: [["family.ts"], ["s3", "gcs"], ["registry.ts"]] };
        const root = tree({
            "storeFamilies/family.ts": `export interface Family { name: string }\n`,
            "storeFamilies/s3/bucket.ts": `import type { Family } from "../family";\nimport { gcs } from "../gcs/bucket";\nexport const s3 = gcs;\nexport type F = Family;\n`,
            "storeFamilies/gcs/bucket.ts": `import { registry } from "../registry";\nexport const gcs = registry;\n`,
            "storeFamilies/registry.ts": `import { extra } from "./extra";\nexport const registry = extra;\n`,
            "storeFamilies/extra.ts": `export const extra = 1;\n`,
        });
        assert.deepEqual(messagesWith(root, layers), [
            "[inner] src/storeFamilies/gcs/bucket.ts imports src/storeFamilies/registry.ts: inside storeFamilies, gcs (rank 1) must not import registry.ts (rank 2): a higher rank",
            "[inner] src/storeFamilies/registry.ts imports src/storeFamilies/extra.ts: storeFamilies/extra.ts is in none of storeFamilies's inner layers (test/support/importGraph.ts)",
            "[inner] src/storeFamilies/s3/bucket.ts imports src/storeFamilies/gcs/bucket.ts: inside storeFamilies, s3 (rank 1) must not import gcs (rank 1): same rank, another entry",
        ]);
    });

    it("reports a top-level folder or file that is in no layer, once per folder", () => {
        const root = tree({
            "helpers/a.ts": `export const a = 1;\n`,
            "helpers/b.ts": `import { a } from "./a";\nexport const b = a;\n`,
            "model.ts": `export const model = 1;\n`,
        });
        assert.deepEqual(messages(root), [
            "[unplaced] src/helpers/a.ts: helpers is in no layer; place it in the layer table (test/support/importGraph.ts and docs/ARCHITECTURE.md)",
            "[unplaced] src/model.ts: model.ts is in no layer; place it in the layer table (test/support/importGraph.ts and docs/ARCHITECTURE.md)",
        ]);
    });

    it("reports a relative import that names no file under the root, and ignores one that leaves it", () => {
        const root = tree({
            "internal/issues.ts": `import "./missing";\nimport pkg from "../../package.json";\nexport const issue = pkg;\n`,
        });
        assert.deepEqual(messages(root), [
            "[unresolved] src/internal/issues.ts imports ./missing: no such .ts file or folder with index.ts under src/",
        ]);
    });
});
