// The committed schema and SDKs are what the tools make from the source today: sdk/schema.json is
// what skymount's provider infers, and sdk/python and sdk/go are exactly what gensdk writes from it;
// the Go SDK compiles (the Python one runs in test/e2e/crossLanguage.test.ts).
// Needs the toolchain (`npm run setup`): gensdk and the Pulumi CLI.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";

const root = path.join(__dirname, "..", "..");
const withToolchain = (...command: string[]) =>
    execFileSync("bash", [path.join(root, "tools", "with-toolchain.sh"), ...command], {
        cwd: root,
        encoding: "utf8",
        maxBuffer: 64 << 20,
        // The plugin infers the schema from the source only when asked; otherwise it serves the committed one.
        env: { ...process.env, SKYMOUNT_INFER_SCHEMA: "1" },
    });

function filesUnder(dir: string): Map<string, string> {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    return new Map(
        files.map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name), "utf8")]),
    );
}

describe("generated SDKs", () => {
    const out = mkdtempSync(path.join(tmpdir(), "skymount-sdk-"));
    after(() => rmSync(out, { recursive: true, force: true }));

    it("sdk/schema.json is the schema skymount's provider infers from the source", () => {
        const inferred = withToolchain(
            "pulumi",
            "package",
            "get-schema",
            path.join(root, "src", "provider", "plugin", "pulumi-resource-skymount"),
        );
        assert.deepEqual(
            JSON.parse(inferred),
            JSON.parse(readFileSync(path.join(root, "sdk", "schema.json"), "utf8")),
            "regenerate: sdk/README.md",
        );
    });

    for (const language of ["python", "go"]) {
        it(`sdk/${language} is what gensdk generates from sdk/schema.json`, () => {
            withToolchain("skymount-gensdk", path.join(root, "sdk", "schema.json"), out);
            const generated = filesUnder(path.join(out, language));
            const committed = filesUnder(path.join(root, "sdk", language));
            assert.deepEqual([...committed.keys()].sort(), [...generated.keys()].sort(), "regenerate: sdk/README.md");
            for (const [file, text] of generated)
                assert.equal(committed.get(file), text, `sdk/${language}/${file} differs: regenerate (sdk/README.md)`);
        });
    }

    it("sdk/go/skymount builds and vets as its own module, with the go.sum it ships", () => {
        // A copy of the committed module, built with -mod=readonly: go.mod and go.sum must be complete (the
        // Pulumi SDK comes from the Go module proxy, the same modules the CLI's build fetched).
        const module = path.join(out, "go-module");
        cpSync(path.join(root, "sdk", "go", "skymount"), module, { recursive: true });
        const importPath = JSON.parse(readFileSync(path.join(root, "sdk", "schema.json"), "utf8")).language.go.importBasePath;
        assert.ok(
            readFileSync(path.join(module, "go.mod"), "utf8").startsWith(`module ${importPath}\n`),
            "the module path is the import base path",
        );
        const env = { ...process.env, GOFLAGS: "-mod=readonly", GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
        execFileSync("go", ["build", "./..."], { cwd: module, env, stdio: ["ignore", "inherit", "inherit"] });
        execFileSync("go", ["vet", "./..."], { cwd: module, env, stdio: ["ignore", "inherit", "inherit"] });
    });
});
