// A dynamic resource's serialized provider is a few KB that `require` skymount's module however the
// program reached skymount (src/resource/moduleReference.ts), and a second process runs it. Installed
// from the npm package is checked by installed.test.ts and syncState.test.ts; here, one small sync per
// other layout: a path import of the checkout's sources (TypeScript, compiled by the host's ts-node),
// a path import of its dist, a `file:` dependency and a workspace link (node_modules/skymount a
// symlink to the checkout). Each: `up`, every __provider in the state small and naming the module by
// the layout's specifier; then `destroy`, whose provider host runs each resource's delete from the
// provider stored in the state, takes the bucket.
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { buildSkymount } from "../../tools/packInstall";
import { programsDir, requireTestbed, s3ClientFor, uniqueName } from "./support/testbed";

const REPO = path.join(__dirname, "..", "..");
const PROGRAM = path.join(programsDir, "layouts");
/** A serialized provider that requires its logic: under 4 KB (186 KB for a sync when serialized by value). */
const PROVIDER_LIMIT_BYTES = 4 * 1024;

interface Layout {
    name: string;
    /** Makes the program's directory; returns it. */
    make(scratch: string): string;
    /** What the program requires skymount as. */
    skymount: string;
    /** How each serialized provider names the module of the dynamic provider's wrapper. */
    wrapper: string;
}

/** A copy of the program in `dir`, with `node_modules/@pulumi` (and more links) pointing into the repository's. */
function programCopy(dir: string, modules: string): string {
    cpSync(PROGRAM, dir, { recursive: true, filter: (from) => !path.basename(from).startsWith("Pulumi.e2e") });
    mkdirSync(modules, { recursive: true });
    symlinkSync(path.join(REPO, "node_modules", "@pulumi"), path.join(modules, "@pulumi"));
    symlinkSync(REPO, path.join(modules, "skymount"));
    return dir;
}

const LAYOUTS: Layout[] = [
    {
        name: "a path import of the sources",
        make: () => PROGRAM,
        skymount: "../../../../src",
        wrapper: "../../../../src/resource/dynamicProvider.ts",
    },
    {
        name: "a path import of dist",
        make: () => PROGRAM,
        skymount: "../../../../dist",
        wrapper: "../../../../dist/resource/dynamicProvider.js",
    },
    {
        name: "a file: dependency",
        make: (scratch) => programCopy(path.join(scratch, "app"), path.join(scratch, "app", "node_modules")),
        skymount: "skymount",
        wrapper: "skymount/dist/resource/dynamicProvider.js",
    },
    {
        name: "a workspace link",
        make: (scratch) => {
            writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ private: true, workspaces: ["app"] }));
            return programCopy(path.join(scratch, "app"), path.join(scratch, "node_modules"));
        },
        skymount: "skymount",
        wrapper: "skymount/dist/resource/dynamicProvider.js",
    },
];

describe("the serialized provider of each layout", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const source = mkdtempSync(path.join(tmpdir(), "skymount-layouts-"));
    const scratches: string[] = [];

    before(() => {
        writeFileSync(path.join(source, "a.txt"), "alpha\n");
        buildSkymount();
    });

    after(() => {
        rmSync(path.join(PROGRAM, "Pulumi.e2e.yaml"), { force: true });
        for (const dir of [source, ...scratches]) rmSync(dir, { recursive: true, force: true });
    });

    for (const layout of LAYOUTS) {
        it(`${layout.name}: small, required from the program's directory, run by a second process`, async () => {
            const scratch = mkdtempSync(path.join(tmpdir(), "skymount-layout-"));
            scratches.push(scratch);
            const workDir = layout.make(scratch);
            rmSync(path.join(workDir, "Pulumi.e2e.yaml"), { force: true });
            const backend = path.join(scratch, "backend");
            mkdirSync(backend);
            const stack = await LocalWorkspace.createOrSelectStack(
                { stackName: "e2e", workDir },
                { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "skymount-e2e" } },
            );
            const bucket = uniqueName("layout");
            await stack.setAllConfig({
                skymount: { value: layout.skymount },
                bucket: { value: bucket },
                source: { value: source },
                endpoint: { value: testbed.s3.endpoint },
                region: { value: testbed.s3.region },
                accessKey: { value: testbed.s3.accessKey },
                secretKey: { value: testbed.s3.secretKey, secret: true },
            });
            try {
                const up = await stack.up();
                assert.deepEqual(up.outputs.syncSummaries.value, ["1 added (a.txt); 0 changed; 0 removed"]);
                const state = JSON.stringify((await stack.exportStack()).deployment);
                const providers = [...state.matchAll(/"__provider":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
                // The bucket's and the sync's, each in inputs and outputs.
                assert.equal(providers.length, 4);
                for (const provider of providers) {
                    assert.ok(provider.length < PROVIDER_LIMIT_BYTES, `a serialized provider of ${provider.length} bytes`);
                    assert.ok(provider.includes(JSON.stringify(layout.wrapper)), provider);
                }
                console.log(
                    `# ${layout.name}: state ${(state.length / 1024).toFixed(1)} KiB, providers of ${providers.map((p) => p.length).join(", ")} bytes`,
                );

                // A new provider host runs each resource's delete from the provider stored in the state.
                const destroy = await stack.destroy();
                assert.equal(destroy.summary.result, "succeeded");
                await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: bucket })), { name: "NotFound" });
            } finally {
                await stack.destroy().catch(() => undefined);
            }
        });
    }
});
