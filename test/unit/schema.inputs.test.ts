// The schema's inputs are Inputs wherever a program may wire another resource's output: at most 15%
// of them are plain, and each plain one is in docs/ARCHITECTURE.md's "Plain inputs" table with a reason.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

const root = path.join(__dirname, "..", "..");

interface Property {
    plain?: boolean;
    items?: { plain?: boolean };
}
interface Schema {
    resources: Record<string, { inputProperties?: Record<string, Property> }>;
    types: Record<string, { type: string; properties?: Record<string, Property> }>;
}

const shortName = (token: string) => token.slice(token.lastIndexOf(":") + 1);

/** Every input of the components and of the object types they take, `Owner.field`, and whether it is plain (itself or its items). */
function inputsOf(schema: Schema): { name: string; plain: boolean }[] {
    const owners = [
        ...Object.entries(schema.resources).map(([token, r]) => [token, r.inputProperties ?? {}] as const),
        ...Object.entries(schema.types)
            .filter(([, t]) => t.type === "object")
            .map(([token, t]) => [token, t.properties ?? {}] as const),
    ];
    return owners.flatMap(([token, properties]) =>
        Object.entries(properties).map(([field, p]) => ({
            name: `${shortName(token)}.${field}`,
            plain: Boolean(p.plain || p.items?.plain),
        })),
    );
}

/** The "Plain inputs" table: input → reason (cells padded or not, as prettier aligns them). */
function documentedPlainInputs(): Map<string, string> {
    const doc = readFileSync(path.join(root, "docs", "ARCHITECTURE.md"), "utf8");
    const section = doc.split(/^## /m).find((s) => s.startsWith("Plain inputs\n"));
    assert.ok(section, 'docs/ARCHITECTURE.md has a "## Plain inputs" section');
    const rows = [...section.matchAll(/^\| `([A-Za-z]+\.[A-Za-z0-9]+)` +\| (.*) \|$/gm)];
    return new Map(rows.map((m) => [m[1], m[2].trim()]));
}

const schema = JSON.parse(readFileSync(path.join(root, "sdk", "schema.json"), "utf8")) as Schema;
const inputs = inputsOf(schema);
const plain = inputs.filter((i) => i.plain).map((i) => i.name);

describe("plain inputs in sdk/schema.json", () => {
    it("each plain input is documented with its reason, and each documented one is still plain", () => {
        const documented = documentedPlainInputs();
        assert.deepEqual(
            plain.filter((name) => !documented.has(name)),
            [],
            'plain inputs missing from docs/ARCHITECTURE.md "Plain inputs" (make them Inputs, or add a row with the reason)',
        );
        assert.deepEqual(
            [...documented.keys()].filter((name) => !plain.includes(name)),
            [],
            "rows for inputs that are no longer plain",
        );
        for (const [name, reason] of documented) assert.ok(reason.length > 10, `${name} has a reason`);
    });

    it("at most 15% of the inputs are plain", () => {
        assert.ok(plain.length / inputs.length <= 0.15, `${plain.length} of ${inputs.length} inputs are plain: ${plain.join(", ")}`);
    });
});
