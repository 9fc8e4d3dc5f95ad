// The program's scan and record (src/sync/records/scanRecord.ts): on this thread from TypeScript sources, and
// on a worker thread of its own where skymount runs compiled. The worker path is run for real: the
// sync modules it loads are compiled to JavaScript in a temporary directory (TypeScript's transpiler),
// as an installed package has them, and the two paths must record the same thing.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import ts from "typescript";
import { localManifest } from "./recordReading";
import { scanAndRecord, ScannedTree, scansOnAWorker } from "../../src/sync/records/scanRecord";

const repo = path.join(__dirname, "..", "..");
const work = mkdtempSync(path.join(tmpdir(), "skymount-scan-record-"));
process.env.SKYMOUNT_CACHE = path.join(work, "cache");
after(() => rmSync(work, { recursive: true, force: true }));

/** src/sync (its subfolders too) and src/internal compiled to CommonJS under `work/dist/`, resolving packages from the repository's node_modules. */
function compiledSync(): string {
    const compile = (folder: string) => {
        const out = path.join(work, "dist", folder);
        mkdirSync(out, { recursive: true });
        for (const entry of readdirSync(path.join(repo, "src", folder), { withFileTypes: true })) {
            if (entry.isDirectory()) compile(path.join(folder, entry.name));
            if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
            const source = readFileSync(path.join(repo, "src", folder, entry.name), "utf8");
            const { outputText } = ts.transpileModule(source, {
                compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
            });
            writeFileSync(path.join(out, entry.name.replace(/\.ts$/, ".js")), outputText);
        }
    };
    for (const folder of ["sync", "internal"]) compile(folder);
    symlinkSync(path.join(repo, "node_modules"), path.join(work, "dist", "node_modules"));
    return path.join(work, "dist", "sync", "records", "scanRecord.js");
}

function tree(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(work, "tree-"));
    for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
    }
    return dir;
}

describe("scanning and recording a source tree", () => {
    let compiled: { scanAndRecord: typeof scanAndRecord; scansOnAWorker: boolean };
    before(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled module, loaded at run time
        compiled = require(compiledSync());
    });

    it("records the manifest locally and hands on its ref and the warnings, on this thread from sources", async () => {
        const dir = tree({ "a.txt": "hello", "d/b.txt": "world!" });
        symlinkSync(path.join(dir, "a.txt"), path.join(dir, "link"));
        const scanned = await scanAndRecord({ dir, ignore: [] });
        assert.deepEqual({ files: scanned.ref.files, bytes: scanned.ref.bytes }, { files: 2, bytes: 11 });
        assert.match(scanned.warnings.join("\n"), /skipped symlink .*link/);
        assert.deepEqual(Object.keys((await localManifest(scanned.ref.digest))!).sort(), ["a.txt", "d/b.txt"]);
    });

    it("on a worker thread where compiled: the same ref, the record written, the heap gone with the thread", async () => {
        const dir = tree(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`d${i % 7}/f${i}.txt`, `file ${i}`])));
        assert.equal(scansOnAWorker, false, "from sources, on this thread");
        assert.equal(compiled.scansOnAWorker, true, "compiled, on a worker");
        const here = await scanAndRecord({ dir, ignore: ["d3/**"] });
        const before = process.memoryUsage().rss;
        const there: ScannedTree = await compiled.scanAndRecord({ dir, ignore: ["d3/**"] });
        assert.deepEqual(there, here);
        assert.ok(there.ref.files > 200 && there.ref.files < 300, `d3 ignored: ${there.ref.files} files`);
        assert.ok((await localManifest(there.ref.digest)) !== undefined, "the worker wrote the local record");
        assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, "the worker's memory did not stay");
    });

    it("on a worker thread, failures come back as errors with their message", async () => {
        await assert.rejects(compiled.scanAndRecord({ dir: path.join(work, "missing"), ignore: [] }), /ENOENT.*missing/);
    });

    it("a .skymount folder in the tree is the user's like any other (skymount keeps nothing in the bucket)", async () => {
        const dir = tree({ ".skymount/x": "x" });
        const scanned = await compiled.scanAndRecord({ dir, ignore: [] });
        assert.deepEqual(Object.keys((await localManifest(scanned.ref.digest))!), [".skymount/x"]);
    });
});
