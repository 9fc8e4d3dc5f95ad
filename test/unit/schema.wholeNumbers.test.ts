// Whole numbers (tagged `@integer` in the source) are `integer` in sdk/schema.json (Go takes an int, Python an int), and validation
// refuses a fraction for each: every example (schemaProbe.ts) that gives the property is constructed
// under Pulumi mocks with 1.5 there, and must be refused at that property.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { taggedProperties } from "../support/taggedProperties";
import { EXAMPLES, installProbeMocks, pathText, propertiesOf, verdictOf, walk, withValueAt } from "./schemaProbe";

const schema = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "sdk", "schema.json"), "utf8"));
/** The properties tagged `@integer` where they are declared. */
const listed = taggedProperties(schema, "integer");

before(() => installProbeMocks());

describe("whole-number properties", () => {
    it("are integer in sdk/schema.json, and no other property is a number", () => {
        for (const { owner, property } of listed)
            assert.equal(propertiesOf(schema, owner)[property]?.type, "integer", `${owner}.${property}`);
        const owners = [...Object.keys(schema.resources), ...Object.keys(schema.types)].map((t) => t.split(":")[2]);
        const numbers = owners.flatMap((owner) =>
            Object.entries(propertiesOf(schema, owner))
                .filter(([, p]) => p.type === "number" || p.items?.type === "number")
                .map(([name]) => `${owner}.${name}`),
        );
        assert.deepEqual(numbers, [], "a number that is not a whole number would need its own reason");
    });

    it("refuse a fraction, naming the property, in every example that gives them", async () => {
        const seen = new Set<string>();
        const wrong: string[] = [];
        for (const [component, examples] of Object.entries(EXAMPLES)) {
            for (const [i, example] of examples.entries()) {
                const occurrences = walk(schema, component, example()).given.filter((o) =>
                    listed.some((l) => l.owner === o.owner && l.property === o.property),
                );
                for (const o of occurrences) {
                    seen.add(`${o.owner}.${o.property}`);
                    const at = pathText(o.path);
                    const verdict = await verdictOf(component, withValueAt(example(), o.path, 1.5));
                    const named = verdict.issues.filter((issue) => issue.propertyPath === at || at.endsWith(`.${issue.propertyPath}`));
                    if (!named.some((issue) => issue.reason.startsWith(`${issue.propertyPath}: 1.5: must be a whole number`)))
                        wrong.push(
                            `${component} example ${i}, ${at} = 1.5: ${verdict.accepted ? "accepted" : verdict.issues.map((x) => x.reason).join("; ")}`,
                        );
                }
            }
        }
        assert.deepEqual(wrong, []);
        assert.deepEqual([...seen].sort(), listed.map((l) => `${l.owner}.${l.property}`).sort(), "the examples give every whole number");
    });
});
