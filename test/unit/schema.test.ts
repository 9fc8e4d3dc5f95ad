// The schema skymount publishes: what src/provider/schema.ts adds to the inferred one (secrets, type
// descriptions, language settings), and what the committed sdk/schema.json and SDKs must hold: every
// component, type and property described, keys secret, closed sets as enums, no `ArgsArgs` names.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as ts from "typescript";
import { ComputeProvider, S3CompatiblePreset, Store, VolumeMode } from "../../src";
import { COMPUTE_PROVIDERS } from "../../src/computeDrivers/planners";
import { completeSchema, PACKAGE_METADATA, withPropertyTags, withTypeDescriptions } from "../../src/provider/schema";
import { docsOfSource, docsUnder } from "../../src/provider/typeDocs";
import { storeNames } from "../../src/storeFamilies/registry";
import { taggedProperties } from "../support/taggedProperties";

const root = path.join(__dirname, "..", "..");
const components = ["SkyStorage", "SkyVolume", "SkyCompute"];
const committed = JSON.parse(readFileSync(path.join(root, "sdk", "schema.json"), "utf8"));
const readme = readFileSync(path.join(root, "src", "provider", "sdkReadme.md"), "utf8");
const packageJson = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));

interface Property {
    description?: string;
    secret?: boolean;
    plain?: boolean;
    $ref?: string;
    items?: Property;
}

/** Tags as the source would give them: a component's inputs under `<Component>Args`. */
const TAGS = new Map([
    [
        "SkyComputeArgs",
        new Map([
            ["sshPrivateKey", ["secret"] as const],
            ["nodes", ["integer"] as const],
        ]),
    ],
    [
        "SshHost",
        new Map([
            ["privateKey", ["secret"] as const],
            ["port", ["integer"] as const],
        ]),
    ],
]);

const tiny = () => ({
    name: "skymount",
    resources: {
        "skymount:index:SkyCompute": {
            inputProperties: { sshPrivateKey: { type: "string" }, nodes: { type: "number" }, image: { type: "string" } },
        },
    },
    types: {
        "skymount:index:SshHost": {
            type: "object",
            properties: { privateKey: { type: "string" }, port: { type: "number", description: "d" } },
        },
        "skymount:index:Geesefs": { type: "object", properties: { uid: { type: "number" } } },
    },
});

describe("schema post-processing (src/provider/schema.ts)", () => {
    it("marks the tagged properties secret or integer, in types and in component inputs, and nothing else", () => {
        const marked = withPropertyTags(tiny(), TAGS);
        assert.deepEqual(marked.resources!["skymount:index:SkyCompute"].inputProperties, {
            sshPrivateKey: { type: "string", secret: true },
            nodes: { type: "integer" },
            image: { type: "string" },
        });
        assert.deepEqual(marked.types!["skymount:index:SshHost"].properties, {
            privateKey: { type: "string", secret: true },
            port: { type: "integer", description: "d" },
        });
        assert.deepEqual(marked.types!["skymount:index:Geesefs"], tiny().types["skymount:index:Geesefs"]);
    });

    it("throws when a tagged property is gone from the schema, or an @integer is not a number", () => {
        const schema = tiny();
        delete (schema.types["skymount:index:SshHost"].properties as Record<string, unknown>).privateKey;
        assert.throws(() => withPropertyTags(schema, TAGS), {
            message: "SshHost.privateKey is tagged @secret, but skymount:index:SshHost has no property privateKey",
        });
        const text = tiny();
        text.types["skymount:index:SshHost"].properties.port = { type: "string", description: "d" };
        assert.throws(() => withPropertyTags(text, TAGS), {
            message: "SshHost.port is tagged @integer, but skymount:index:SshHost.port is string, not a number",
        });
    });

    it("describes types from their doc comments, keeping a description the inference gave", () => {
        const schema = {
            types: { "skymount:index:A": { type: "object" }, "skymount:index:B": { description: "own" }, "skymount:index:C": {} },
        };
        const described = withTypeDescriptions(
            schema,
            new Map([
                ["A", "An A."],
                ["B", "doc"],
            ]),
        );
        assert.deepEqual(described.types, {
            "skymount:index:A": { type: "object", description: "An A." },
            "skymount:index:B": { description: "own" },
            "skymount:index:C": {},
        });
    });

    it("reads doc comments of interfaces, classes, aliases and `as const` objects, not of what is undocumented", () => {
        const { docs } = docsOfSource(
            ts,
            "x.ts",
            [
                "/** An interface. */ export interface I { a: string }",
                "/**\n * A class,\n * two lines.\n * @deprecated tags are not text\n */ export class C {}",
                '/** A set. */ export const S = { A: "a" } as const;',
                "export type S = (typeof S)[keyof typeof S];",
                "export interface Bare {}",
            ].join("\n"),
        );
        assert.deepEqual(Object.fromEntries(docs), { I: "An interface.", C: "A class,\ntwo lines.", S: "A set." });
    });

    it("finds every type of the committed schema documented under src/", () => {
        const names = new Set(Object.keys(committed.types).map((t: string) => t.split(":")[2]));
        const source = docsUnder(ts, path.join(root, "src"), new Set([...names, ...components]));
        assert.deepEqual(
            [...names].filter((n) => !source.docs.has(n)),
            [],
        );
        assert.deepEqual(completeSchema(committed, source, readme), committed, "completing the committed schema changes nothing");
    });

    it("reads the @secret and @integer tags of interface properties, keeping them out of the text", () => {
        const text =
            "export interface A {\n    /** A key. @secret */\n    k: string;\n    /**\n     * A count.\n     * @integer\n     */\n    n: number;\n    /** Plain. @deprecated */\n    p: string;\n}";
        const { tags } = docsOfSource(ts, "a.ts", text);
        assert.deepEqual(
            [...tags.get("A")!],
            [
                ["k", ["secret"]],
                ["n", ["integer"]],
            ],
        );
    });
});

describe("the committed sdk/schema.json", () => {
    const undescribed: string[] = [];
    const walk = (where: string, properties: Record<string, Property> | undefined) => {
        for (const [name, property] of Object.entries(properties ?? {}))
            if (!property.description?.trim()) undescribed.push(`${where}.${name}`);
    };
    for (const [token, resource] of Object.entries<{
        description?: string;
        inputProperties?: Record<string, Property>;
        properties?: Record<string, Property>;
    }>(committed.resources)) {
        if (!resource.description?.trim()) undescribed.push(token);
        walk(`${token} input`, resource.inputProperties);
        walk(`${token} output`, resource.properties);
    }
    for (const [token, type] of Object.entries<{
        description?: string;
        properties?: Record<string, Property>;
        enum?: { name: string; description?: string }[];
    }>(committed.types)) {
        if (!type.description?.trim()) undescribed.push(token);
        walk(token, type.properties);
        for (const member of type.enum ?? []) if (!member.description?.trim()) undescribed.push(`${token}.${member.name}`);
    }

    it("describes every component, type, property and enum member", () => assert.deepEqual(undescribed, []));

    it("says who publishes the package, where it lives and its license (package.json's)", () => {
        for (const [field, value] of Object.entries(PACKAGE_METADATA)) assert.deepEqual(committed[field], value, field);
        assert.equal(committed.license, packageJson.license);
        assert.ok(committed.homepage.startsWith(`https://${committed.language.go.importBasePath.split("/sdk/")[0]}`));
        assert.equal(committed.description, packageJson.description);
    });

    it("builds the Python package from pyproject.toml, its README the SDKs' README", () => {
        assert.deepEqual(committed.language.python.pyproject, { enabled: true });
        assert.equal(committed.language.python.readme, readme);
        assert.equal(readFileSync(path.join(root, "sdk", "python", "README.md"), "utf8"), readme);
        assert.match(readFileSync(path.join(root, "sdk", "python", "pyproject.toml"), "utf8"), /readme = "README.md"/);
    });

    it("has no type whose name ends in Args (the SDKs would say ArgsArgs)", () => {
        assert.deepEqual(
            Object.keys(committed.types).filter((t) => t.endsWith("Args")),
            [],
        );
    });

    it("makes the closed sets enums, with exactly the values validation accepts", () => {
        const values = (name: string) => (committed.types[`skymount:index:${name}`].enum as { value: string }[]).map((m) => m.value).sort();
        assert.deepEqual(values("VolumeMode"), Object.values(VolumeMode).sort());
        assert.deepEqual(values("Store"), Object.values(Store).sort());
        assert.deepEqual(values("Store"), storeNames().sort(), "the store registry and the enum list the same stores");
        assert.deepEqual(values("ComputeProvider"), Object.values(ComputeProvider).sort());
        assert.deepEqual(values("ComputeProvider"), [...COMPUTE_PROVIDERS].sort(), "the drivers and the enum list the same providers");
        assert.deepEqual(values("S3CompatiblePreset"), Object.values(S3CompatiblePreset).sort());
        const ref = (token: string, property: string) =>
            (committed.types[token]?.properties ?? committed.resources[token].inputProperties)[property].$ref;
        assert.equal(ref("skymount:index:Volume", "mode"), "#/types/skymount:index:VolumeMode");
        // A ref's store is a string: Pulumi YAML cannot assign an output's enum to an input of the same enum.
        assert.equal(ref("skymount:index:StorageRef", "store"), undefined);
        assert.equal(committed.types["skymount:index:StorageRef"].properties.store.type, "string");
        assert.equal(ref("skymount:index:SkyStorage", "store"), "#/types/skymount:index:Store");
        assert.equal(ref("skymount:index:SkyCompute", "provider"), "#/types/skymount:index:ComputeProvider");
        assert.equal(ref("skymount:index:S3Compatible", "preset"), "#/types/skymount:index:S3CompatiblePreset");
    });

    it("marks every key secret", () => {
        const secrets = [
            ...Object.entries<{ properties?: Record<string, Property> }>(committed.types).flatMap(([t, type]) =>
                Object.entries(type.properties ?? {}).flatMap(([p, d]) => (d.secret ? [`${t.split(":")[2]}.${p}`] : [])),
            ),
            ...Object.entries<{ inputProperties?: Record<string, Property> }>(committed.resources).flatMap(([t, r]) =>
                Object.entries(r.inputProperties ?? {}).flatMap(([p, d]) => (d.secret ? [`${t.split(":")[2]}.${p}`] : [])),
            ),
        ].sort();
        assert.deepEqual(secrets, [
            "AzureStorage.accountKey",
            "S3Compatible.accessKey",
            "S3Compatible.secretKey",
            "SkyCompute.sshPrivateKey",
            "SshHost.privateKey",
            "StorageCredentials.accessKey",
            "StorageCredentials.secretKey",
            "StorageRef.credentials",
        ]);
    });

    it("marks secret and integer exactly the properties tagged @secret and @integer in the source", () => {
        const marked = (where: (p: Property & { type?: string }) => boolean) =>
            [
                ...Object.entries<{ properties?: Record<string, Property> }>(committed.types).flatMap(([t, type]) =>
                    Object.entries(type.properties ?? {}).map(([p, d]) => ({ owner: t.split(":")[2], property: p, d })),
                ),
                ...Object.entries<{ inputProperties?: Record<string, Property> }>(committed.resources).flatMap(([t, r]) =>
                    Object.entries(r.inputProperties ?? {}).map(([p, d]) => ({ owner: t.split(":")[2], property: p, d })),
                ),
            ]
                .filter(({ d }) => where(d))
                .map(({ owner, property }) => `${owner}.${property}`)
                .sort();
        const tagged = (tag: "secret" | "integer") => taggedProperties(committed, tag).map((t) => `${t.owner}.${t.property}`);
        assert.deepEqual(
            marked((d) => d.secret === true),
            tagged("secret"),
        );
        assert.deepEqual(
            marked((d) => d.type === "integer"),
            tagged("integer"),
        );
        assert.ok(tagged("integer").length >= 7);
    });

    it("names the Go SDK's enum constants <Enum><Member> after the schema's member names", () => {
        const enums = readFileSync(path.join(root, "sdk", "go", "skymount", "pulumiEnums.go"), "utf8");
        const declared = [...enums.matchAll(/^\t(\w+) += \w+\("/gm)].map((m) => m[1]).sort();
        const expected = Object.entries<{ enum?: { name: string }[] }>(committed.types)
            .flatMap(([token, type]) => (type.enum ?? []).map((member) => `${token.split(":")[2]}${member.name}`))
            .sort();
        assert.deepEqual(declared, expected);
    });

    it("generates no ArgsArgs name in the Python and Go SDKs", () => {
        const files = (dir: string) =>
            readdirSync(dir, { recursive: true, encoding: "utf8" })
                .filter((f) => f.endsWith(".py") || f.endsWith(".go"))
                .map((f) => path.join(dir, f));
        const hits = [...files(path.join(root, "sdk", "python")), ...files(path.join(root, "sdk", "go"))].filter((f) =>
            readFileSync(f, "utf8").includes("ArgsArgs"),
        );
        assert.deepEqual(hits, []);
    });
});
