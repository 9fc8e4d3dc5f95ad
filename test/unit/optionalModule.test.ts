// The cloud SDKs are optional peers, loaded when their store or provider is used: a missing one is
// named with what to install; a failure inside an installed one is not disguised as "missing".
// (test/e2e/release.test.ts shows the real case: the packed skymount installed without @pulumi/aws.)
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { loadOptional, markPluginProcess, OPTIONAL_PEERS } from "../../src/internal/optionalModule";

const packageJson = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));

/** What Node's require throws for a module it cannot find. */
function notFound(name: string): Error {
    return Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- /app/node_modules/skymount/dist/x.js`), {
        code: "MODULE_NOT_FOUND",
    });
}

describe("loadOptional", () => {
    it("names the package to install, with skymount's supported range, when it is missing", () => {
        let error: Error | undefined;
        try {
            loadOptional("@pulumi/aws", 'store: "s3"', (name) => {
                throw notFound(name);
            });
        } catch (err) {
            error = err as Error;
        }
        assert.equal(error?.message, 'store: "s3": needs @pulumi/aws, which is not installed: npm install @pulumi/aws@"^7.48.0"');
        assert.equal((error?.cause as { code?: string }).code, "MODULE_NOT_FOUND");
    });

    it("passes on any other failure, including a module the SDK itself cannot find", () => {
        assert.throws(
            () =>
                loadOptional("@pulumi/gcp", 'provider: "gcp"', () => {
                    throw notFound("@pulumi/gcp-dependency");
                }),
            { message: /^Cannot find module '@pulumi\/gcp-dependency'/ },
        );
        assert.throws(
            () =>
                loadOptional("@pulumi/gcp", 'provider: "gcp"', () => {
                    throw new SyntaxError("Unexpected token");
                }),
            { name: "SyntaxError" },
        );
    });

    it("loads an installed package with Node's require by default", () => {
        const aws = loadOptional<typeof import("@pulumi/aws")>("@pulumi/aws", 'store: "s3"');
        assert.equal(typeof aws.s3.Bucket, "function");
    });

    it("recognises Node's own error for a package not installed where skymount is", () => {
        // A require from a directory with no node_modules above it: what a program without @pulumi/gcp gets.
        const dir = mkdtempSync(path.join(tmpdir(), "skymount-no-peers-"));
        try {
            assert.throws(() => loadOptional("@pulumi/gcp", 'provider: "gcp"', createRequire(path.join(dir, "index.js"))), {
                message: 'provider: "gcp": needs @pulumi/gcp, which is not installed: npm install @pulumi/gcp@"^9.37.0"',
            });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("knows the optional peers and ranges package.json declares", () => {
        assert.deepEqual(OPTIONAL_PEERS, packageJson.peerDependencies);
        for (const name of Object.keys(OPTIONAL_PEERS)) assert.deepEqual(packageJson.peerDependenciesMeta[name], { optional: true }, name);
        for (const name of Object.keys(OPTIONAL_PEERS)) assert.equal(packageJson.dependencies[name], undefined, name);
    });
});

// Last in this file: marking the process as the plugin is for the rest of the process.
describe("loadOptional in skymount's provider plugin", () => {
    it("names the released plugin, never npm: its user writes Python, Go or YAML", () => {
        markPluginProcess();
        assert.throws(
            () =>
                loadOptional("@pulumi/aws", 'store: "s3"', (name) => {
                    throw notFound(name);
                }),
            (err: Error) => {
                assert.match(
                    err.message,
                    /^store: "s3": needs @pulumi\/aws, which this copy of skymount's provider plugin does not carry: /,
                );
                assert.match(err.message, /pulumi plugin install resource skymount/);
                assert.doesNotMatch(err.message, /npm/);
                return true;
            },
        );
    });
});
