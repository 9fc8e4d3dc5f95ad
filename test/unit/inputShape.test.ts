// Arguments checked by type before any rule reads them, with the shape derived from sdk/schema.json
// (internal/inputShape.ts): a value of the wrong type is one `field: value: rule` issue, and an Output
// or a Promise passes where the schema takes an Input (its value is checked once known). The derivation
// is checked whole: every property of every component's inputs, at any depth, refuses a value of the
// wrong type with the type it must be.
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { argsShapeIssues } from "../../src/internal/committedSchema";
import { argsShapeOf, ArgsSchema, SchemaProperty, shapeIssues } from "../../src/internal/inputShape";
import { formatIssue } from "../../src/internal/issues";

const schema = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "sdk", "schema.json"), "utf8")) as Required<ArgsSchema>;
const lines = (component: string, args: unknown) => argsShapeIssues(component, args).map(formatIssue);

/** A value of the wrong type for `property`, and the rule it must be refused with. */
function wrongFor(property: SchemaProperty): [unknown, string] {
    const type = property.$ref ? schema.types[property.$ref.slice("#/types/".length)] : undefined;
    if (property.type === "array") return ["x", "must be a list"];
    if (type && !type.enum) return ["x", "must be an object"];
    const scalar = type?.type ?? property.type;
    if (scalar === "string") return [5, "must be a string"];
    if (scalar === "boolean") return ["yes", "must be a boolean"];
    if (scalar === "integer") return [1.5, "must be a whole number"];
    if (scalar === "number") return ["x", "must be a number"];
    throw new Error(`no wrong value for ${JSON.stringify(property)}`);
}

/** Every property reachable from a component's inputs: its place in an args object and its schema. */
function everyProperty(properties: Record<string, SchemaProperty>, at: (string | number)[] = []) {
    const found: { at: (string | number)[]; property: SchemaProperty }[] = [];
    for (const [name, property] of Object.entries(properties)) {
        found.push({ at: [...at, name], property });
        const ref = property.$ref ?? property.items?.$ref;
        const type = ref ? schema.types[ref.slice("#/types/".length)] : undefined;
        if (type?.properties) found.push(...everyProperty(type.properties, property.items ? [...at, name, 0] : [...at, name]));
    }
    return found;
}

/** An args object with `value` at `at`: objects and one-item lists on the way. */
function placed(at: (string | number)[], value: unknown): unknown {
    if (at.length === 0) return value;
    const [head, ...rest] = at;
    return typeof head === "number" ? [placed(rest, value)] : { [head]: placed(rest, value) };
}

const shown = (at: (string | number)[]) => at.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

describe("argument shapes", () => {
    it("names each field of the wrong type with the type it must be", () => {
        // In the schema's order of the fields (alphabetical).
        assert.deepEqual(lines("SkyVolume", { hosts: "h1", volumes: [{ mount: 5, readOnly: "yes" }], geesefs: { uid: "0" } }), [
            'geesefs.uid: "0": must be a number',
            'hosts: "h1": must be a list',
            "volumes[0].mount: 5: must be a string",
            'volumes[0].readOnly: "yes": must be a boolean',
        ]);
        assert.deepEqual(lines("SkyCompute", { provider: {}, nodes: "2", ssh: { hosts: [null] } }), [
            'nodes: "2": must be a number',
            "provider: {}: must be a string",
            "ssh.hosts[0]: null: must be an object",
        ]);
        assert.deepEqual(lines("SkyStorage", { name: "data", persistent: "yes" }), ['persistent: "yes": must be a boolean']);
    });

    it("passes Outputs and Promises where the schema takes an Input, and leaves absent fields to the rules", () => {
        const later = pulumi.output("x");
        assert.deepEqual(lines("SkyVolume", { hosts: [{ name: "h1", host: later, port: Promise.resolve(22) }], volumes: later }), []);
        assert.deepEqual(lines("SkyVolume", { volumes: [{ storage: pulumi.secret({ bucket: "b" }), mount: later }] }), []);
        assert.deepEqual(lines("SkyVolume", undefined), []);
        assert.deepEqual(lines("SkyCompute", {}), []);
        assert.deepEqual(lines("SkyStorage", { region: later, s3Compatible: { accessKey: pulumi.secret("k") }, aws: later }), []);
    });

    it("refuses an Output where the schema's property is plain: another language sends its value", () => {
        assert.deepEqual(
            argsShapeIssues("SkyStorage", { name: Promise.resolve("data") }).map((i) => `${i.path}: ${i.rule}`),
            ["name: must be a string"],
        );
    });

    it("takes Inputs as the items of a list the schema takes as an Input, even where its items are plain", () => {
        const ref = { bucket: "b", endpoint: "http://e", filledBy: [pulumi.output("urn:a"), "urn:b"] };
        assert.deepEqual(lines("SkyVolume", { volumes: [{ storage: ref, mount: "/data" }] }), []);
        assert.deepEqual(
            argsShapeIssues("SkyStorage", { sources: [Promise.resolve("/data")] }).map((i) => `${i.path}: ${i.rule}`),
            ["sources[0]: must be a string"],
        );
    });

    it("refuses a fraction where the schema says integer, an infinity or NaN where a number belongs", () => {
        assert.deepEqual(lines("SkyCompute", { nodes: 1.5 }), ["nodes: 1.5: must be a whole number"]);
        assert.deepEqual(lines("SkyCompute", { nodes: Number.POSITIVE_INFINITY }), ["nodes: Infinity: must be a number"]);
        assert.deepEqual(lines("SkyVolume", { hosts: [{ port: Number.NaN }] }), ["hosts[0].port: NaN: must be a number"]);
    });

    for (const token of Object.keys(schema.resources)) {
        const component = token.split(":")[2];
        it(`checks every property of ${component}'s inputs, at any depth, by its type in the schema`, () => {
            const properties = everyProperty(schema.resources[token].inputProperties ?? {});
            assert.ok(properties.length > 10);
            const wrong = properties.flatMap(({ at, property }) => {
                const [value, rule] = wrongFor(property);
                const expected = `${shown(at)}: ${JSON.stringify(value)}: ${rule}`;
                const got = lines(component, placed(at, value));
                return got.length === 1 && got[0] === expected ? [] : [`${expected}: got ${JSON.stringify(got)}`];
            });
            assert.deepEqual(wrong, []);
        });
    }

    it("refuses a schema it cannot read, instead of passing a property unchecked", () => {
        const odd = { resources: { "x:index:C": { inputProperties: { a: { type: "object", additionalProperties: {} } } } } };
        assert.throws(() => argsShapeOf(odd, "x:index:C"), { message: "x:index:C.a: no shape for the type object" });
        assert.throws(() => argsShapeOf(odd, "x:index:D"), /has no resource x:index:D/);
        assert.deepEqual(shapeIssues(argsShapeOf({ resources: { "x:index:C": {} } }, "x:index:C"), { any: 1 }), []);
    });
});
