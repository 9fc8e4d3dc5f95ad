// docs/reference is what tools/reference.ts writes from sdk/schema.json and the example programs: the
// reference is regenerated into a temporary directory and compared file by file.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { writeReference } from "../../tools/reference/files";
import { renderReference } from "../../tools/reference/pages";
import { defaultOf } from "../../tools/reference/schema";
import { goName, inputType, pythonName } from "../../tools/reference/spelling";

const root = path.join(__dirname, "..", "..");
const committedDir = path.join(root, "docs", "reference");
const REGENERATE = "docs/reference is stale: run `npm run docs:reference` and commit docs/reference";

const markdownIn = (dir: string) =>
    readdirSync(dir)
        .filter((name) => name.endsWith(".md"))
        .sort();

describe("API reference", () => {
    const out = mkdtempSync(path.join(tmpdir(), "skymount-reference-"));
    after(() => rmSync(out, { recursive: true, force: true }));

    it("docs/reference is what `npm run docs:reference` writes", () => {
        writeReference(root, out);
        assert.deepEqual(markdownIn(committedDir), markdownIn(out), REGENERATE);
        for (const name of markdownIn(out))
            assert.equal(
                readFileSync(path.join(committedDir, name), "utf8"),
                readFileSync(path.join(out, name), "utf8"),
                `${name}: ${REGENERATE}`,
            );
    });

    it("a default is the rest of the description's Defaults sentence", () => {
        assert.equal(
            defaultOf({ description: 'Who may reach the VMs. Optional. Defaults to "0.0.0.0/0" (key-only logins).' }),
            '"0.0.0.0/0" (key-only logins)',
        );
        assert.equal(defaultOf({ description: "Defaults per store: us-east-1 (s3), auto (r2)." }), "per store: us-east-1 (s3), auto (r2)");
        assert.equal(
            defaultOf({ description: "Defaults to true when the owner is a\nlogin user, else false. More." }),
            "true when the owner is a login user, else false",
        );
        assert.equal(defaultOf({ description: "The bucket name." }), undefined);
        assert.equal(defaultOf({ default: 22 }), "22");
    });

    it("names and types are spelled as Pulumi's generators spell them", () => {
        assert.equal(pythonName("s3Compatible"), "s3_compatible");
        assert.equal(pythonName("statCacheTtlSeconds"), "stat_cache_ttl_seconds");
        assert.equal(pythonName("S3Compatible").toUpperCase(), "S3_COMPATIBLE");
        assert.equal(goName("sshCidr"), "SshCidr");
        const schema = { name: "skymount", types: { "skymount:index:VolumeMode": { type: "string", enum: [{ value: "MOUNT" }] } } };
        const mode = { $ref: "#/types/skymount:index:VolumeMode" };
        assert.equal(inputType(schema, "Go", mode, false), "VolumeModePtrInput");
        assert.equal(inputType(schema, "Go", { ...mode, plain: true }, true), "VolumeMode");
        assert.equal(inputType(schema, "Go", { type: "integer", plain: true }, false), "*int");
        assert.equal(inputType(schema, "Go", { type: "array", items: { type: "string" } }, false), "pulumi.StringArrayInput");
        assert.equal(inputType(schema, "Python", { type: "integer" }, false), "Optional[pulumi.Input[int]]");
        assert.equal(
            inputType(schema, "TypeScript", { type: "array", items: { type: "string", plain: true }, plain: true }, true),
            "string[]",
        );
    });

    it("renders whatever the schema holds: new components, integers, inputs, required fields, enums", () => {
        const schema = {
            name: "pkg",
            types: {
                "pkg:index:Mode": { type: "string", enum: [{ name: "FastLane", value: "fast", description: "Quick." }] },
                "pkg:index:Part": {
                    type: "object",
                    properties: { size: { type: "integer", description: "Bytes. Defaults to 8." } },
                    required: ["size"],
                },
            },
            resources: {
                "pkg:index:Thing": {
                    description: "A thing.",
                    inputProperties: {
                        count: { type: "integer", description: "How many. Defaults to 1." },
                        mode: { $ref: "#/types/pkg:index:Mode", plain: true },
                        parts: { type: "array", items: { $ref: "#/types/pkg:index:Part" }, secret: true },
                    },
                    requiredInputs: ["parts"],
                    properties: { total: { type: "integer", description: "The sum." } },
                },
            },
        };
        const pages = renderReference(schema, () => undefined);
        assert.deepEqual([...pages.keys()].sort(), ["Mode.md", "Part.md", "README.md", "Thing.md"]);
        const thing = pages.get("Thing.md")!;
        assert.match(thing, /\| `count` \| integer \| no \| 1 \| no \| yes \| How many\. Defaults to 1\. \|/);
        assert.match(thing, /\| `parts` \| array of \[Part\]\(Part\.md\) \| yes \| — \| yes \| yes \|/);
        assert.match(thing, /`Count`: `pulumi\.IntPtrInput`/);
        assert.match(thing, /`parts`: `pulumi\.Input\[Sequence\[pulumi\.Input\[PartArgs\]\]\]`/);
        assert.match(thing, /`thing\.Total`: `pulumi\.IntOutput`/);
        assert.match(thing, /No example program declares Thing in Go yet\./);
        assert.match(
            pages.get("Mode.md")!,
            /\| `"fast"` \| Quick\. \| `Mode\.FastLane` \| `Mode\.FAST_LANE` \| `ModeFastLane` \| `fast` \|/,
        );
        assert.match(pages.get("Part.md")!, /Used by: \[Thing\]\(Thing\.md\)\./);
    });
});
