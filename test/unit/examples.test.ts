// Every example program in Python, Go and Pulumi YAML is checked against the SDKs and the schema without
// running it: most of them target clouds this machine cannot reach (examples/python, examples/go and
// examples/yaml also run end to end, in test/e2e/languages.test.ts). Python programs compile and match the
// generated SDK installed in the toolchain's venv (test/support/checkPythonProgram.py); Go programs vet and
// build against sdk/go/skymount through their go.mod's `replace`; YAML programs match sdk/schema.json
// (test/support/yamlProgram.ts). TypeScript examples are type-checked by `tsc` with the rest of the tree.
// Needs the toolchain (`npm run setup`): the Python venv and Go's module cache.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import type { PackageSpec } from "../../tools/reference/schema";
import { checkYamlProgram } from "../support/yamlProgram";

const root = path.join(__dirname, "..", "..");
const schema = JSON.parse(readFileSync(path.join(root, "sdk", "schema.json"), "utf8")) as PackageSpec;

/** Runs one of the toolchain venv's commands (tools/env.sh names the venv SKYMOUNT_PYTHON_VENV). */
const venv = (command: "python3" | "pip", args: string[], env: Record<string, string> = {}) =>
    execFileSync(
        "bash",
        [path.join(root, "tools", "with-toolchain.sh"), "sh", "-c", `exec "$SKYMOUNT_PYTHON_VENV/bin/${command}" "$@"`, command, ...args],
        {
            cwd: root,
            encoding: "utf8",
            maxBuffer: 64 << 20,
            env: { ...process.env, ...env },
        },
    );

/** Directories under examples/ (relative to the repository) holding `fileName`, in path order. */
function exampleDirs(fileName: string, dir = "examples"): string[] {
    const found: string[] = [];
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isDirectory() || entry.name === "node_modules" || entry.name === "data") continue;
        const sub = `${dir}/${entry.name}`;
        if (existsSync(path.join(root, sub, fileName))) found.push(sub);
        found.push(...exampleDirs(fileName, sub));
    }
    return found;
}

const yamlRuntime = (dir: string) => /^runtime:\s*yaml\s*$/m.test(readFileSync(path.join(root, dir, "Pulumi.yaml"), "utf8"));

describe("example programs", () => {
    const work = mkdtempSync(path.join(tmpdir(), "skymount-examples-"));
    after(() => rmSync(work, { recursive: true, force: true }));

    const python = exampleDirs("__main__.py");
    const go = exampleDirs("go.mod");
    const yaml = exampleDirs("Pulumi.yaml").filter(yamlRuntime);

    it("finds the programs of every language, one per cloud at least", () => {
        for (const [language, dirs] of Object.entries({ python, go, yaml }))
            for (const cloud of ["aws", "gcp", "azure"])
                assert.ok(
                    dirs.some((d) => d.startsWith(`examples/${cloud}/`)),
                    `no ${language} example for ${cloud}: ${dirs.join(", ")}`,
                );
    });

    it(`Python (${python.join(", ")}): compile and match the generated SDK`, () => {
        // The SDK installed from a copy of sdk/python (as test/e2e/languages.test.ts does), so the checkout stays clean.
        const source = path.join(work, "sdk-python");
        const site = path.join(work, "site-packages");
        cpSync(path.join(root, "sdk", "python"), source, { recursive: true });
        venv("pip", ["install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation", "--target", site, source]);
        const programs = python.map((dir) => path.join(root, dir, "__main__.py"));
        try {
            venv("python3", [path.join(root, "test", "support", "checkPythonProgram.py"), ...programs], {
                PYTHONPATH: site,
                PYTHONDONTWRITEBYTECODE: "1",
            });
        } catch (err) {
            assert.fail(`the Python examples do not match sdk/python:\n${(err as { stdout?: string }).stdout ?? err}`);
        }
    });

    for (const dir of go) {
        it(`${dir}: go vet and go build against sdk/go/skymount`, () => {
            // In place: the go.mod's `replace` points at the checkout's SDK, and -o /dev/null writes nothing here.
            const env = { ...process.env, GOFLAGS: "-mod=readonly -buildvcs=false", GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
            const options = { cwd: path.join(root, dir), env, stdio: ["ignore", "inherit", "inherit"] as ("ignore" | "inherit")[] };
            execFileSync("go", ["vet", "./..."], options);
            execFileSync("go", ["build", "-o", "/dev/null", "./..."], options);
        });
    }

    for (const dir of yaml) {
        it(`${dir}/Pulumi.yaml: every resource and property is in sdk/schema.json`, () => {
            const parse = "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)";
            const program = JSON.parse(venv("python3", ["-c", parse, path.join(root, dir, "Pulumi.yaml")]));
            assert.deepEqual(checkYamlProgram(program, schema), []);
        });
    }
});
