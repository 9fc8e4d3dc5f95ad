// What the declarations under src/ say about the schema, by name: the doc comments the schema's types
// are described with (the inference drops them, see schema.ts), and the tags that annotate a property
// where it is declared (`@secret`, `@integer`), which the inference knows nothing of. Parse only, no
// type check: about a second for the tree, and only `pulumi package get-schema` (and tests) run it.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";

/**
 * The tags a property's doc comment may carry for the schema: `@secret` (a key: every SDK sends it as
 * a secret) and `@integer` (a whole number: Go and Python take an int, validation refuses a fraction).
 * The inference takes only a doc comment's text as the description, so the tags never show there.
 */
export const PROPERTY_TAGS = ["secret", "integer"] as const;
export type PropertyTag = (typeof PROPERTY_TAGS)[number];

/** Per interface (by name), its tagged properties and their tags. */
export type PropertyTags = Map<string, Map<string, PropertyTag[]>>;

/** What the declarations at the top of a file say: their doc comments, and their properties' tags. */
export interface SourceDocs {
    docs: Map<string, string>;
    tags: PropertyTags;
}

/**
 * Interfaces, classes, type aliases and `as const` objects declared at the top of `text`, with their
 * doc comment; and the interfaces' tagged properties.
 */
export function docsOfSource(typescript: typeof ts, fileName: string, text: string): SourceDocs {
    const source = typescript.createSourceFile(fileName, text, typescript.ScriptTarget.Latest, true);
    const docs = new Map<string, string>();
    const tags: PropertyTags = new Map();
    const docOf = (node: ts.Node) =>
        typescript
            .getJSDocCommentsAndTags(node)
            .filter(typescript.isJSDoc)
            .map((doc) => typescript.getTextOfJSDocComment(doc.comment) ?? "")
            .filter((comment) => comment !== "")
            .join("\n");
    const tagsOf = (member: ts.Node) =>
        typescript
            .getJSDocTags(member)
            .map((tag) => tag.tagName.text)
            .filter((name): name is PropertyTag => (PROPERTY_TAGS as readonly string[]).includes(name));
    for (const node of source.statements) {
        const named =
            typescript.isInterfaceDeclaration(node) || typescript.isClassDeclaration(node) || typescript.isTypeAliasDeclaration(node)
                ? [node.name?.text]
                : typescript.isVariableStatement(node)
                  ? node.declarationList.declarations.map((d) => (typescript.isIdentifier(d.name) ? d.name.text : undefined))
                  : [];
        const doc = docOf(node);
        for (const name of named) if (name && doc && !docs.has(name)) docs.set(name, doc);
        if (!typescript.isInterfaceDeclaration(node)) continue;
        const tagged = new Map<string, PropertyTag[]>();
        for (const member of node.members) {
            const found = tagsOf(member);
            if (typescript.isPropertySignature(member) && typescript.isIdentifier(member.name) && found.length)
                tagged.set(member.name.text, found);
        }
        if (tagged.size) tags.set(node.name.text, tagged);
    }
    return { docs, tags };
}

/**
 * The doc comments of `names` in the .ts files under `dir`, and the tags of their properties (an
 * interface `<Component>Args` stands for the component's inputs); one of them documented or tagged
 * differently in two files throws.
 */
export function docsUnder(typescript: typeof ts, dir: string, names: ReadonlySet<string>): SourceDocs {
    const docs = new Map<string, string>();
    const tags: PropertyTags = new Map();
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
    for (const file of files.sort()) {
        const found = docsOfSource(typescript, file, readFileSync(path.join(dir, file), "utf8"));
        for (const [name, doc] of found.docs) {
            if (!names.has(name)) continue;
            const known = docs.get(name);
            if (known !== undefined && known !== doc) throw new Error(`${name} is documented twice, differently (${file}): rename one`);
            docs.set(name, doc);
        }
        for (const [name, tagged] of found.tags) {
            if (!names.has(name) && !names.has(name.replace(/Args$/, ""))) continue;
            if (tags.has(name) && JSON.stringify([...tags.get(name)!]) !== JSON.stringify([...tagged]))
                throw new Error(`${name} is tagged twice, differently (${file}): rename one`);
            tags.set(name, tagged);
        }
    }
    return { docs, tags };
}
