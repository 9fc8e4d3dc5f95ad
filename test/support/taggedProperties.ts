// The properties tagged `@secret` or `@integer` where they are declared under src/ (provider/typeDocs.ts),
// named as sdk/schema.json names them: what the schema's annotations are checked against.
import * as path from "node:path";
import * as ts from "typescript";
import { docsUnder, PropertyTag } from "../../src/provider/typeDocs";

interface NamedSchema {
    resources: Record<string, unknown>;
    types: Record<string, unknown>;
}

/** The properties tagged `tag`, by the schema's short names (a component's `<Component>Args` is the component), sorted. */
export function taggedProperties(schema: NamedSchema, tag: PropertyTag): { owner: string; property: string }[] {
    const shortName = (token: string) => token.slice(token.lastIndexOf(":") + 1);
    const names = new Set([...Object.keys(schema.resources), ...Object.keys(schema.types)].map(shortName));
    const { tags } = docsUnder(ts, path.join(__dirname, "..", "..", "src"), names);
    return [...tags]
        .flatMap(([owner, properties]) =>
            [...properties]
                .filter(([, found]) => found.includes(tag))
                .map(([property]) => ({ owner: owner.replace(/Args$/, ""), property })),
        )
        .sort((a, b) => `${a.owner}.${a.property}`.localeCompare(`${b.owner}.${b.property}`));
}
