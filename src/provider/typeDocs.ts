// The doc comments of the declarations under src/, by name: what the schema's types are described with
// (the inference drops them, see schema.ts). Parse only, no type check: about a second for the tree,
// and only `pulumi package get-schema` runs it.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";

/** Interfaces, classes, type aliases and `as const` objects declared at the top of `text`, with their doc comment. */
export function docsOfSource(typescript: typeof ts, fileName: string, text: string): Map<string, string> {
    const source = typescript.createSourceFile(fileName, text, typescript.ScriptTarget.Latest, true);
    const docs = new Map<string, string>();
    const docOf = (node: ts.Node) =>
        typescript
            .getJSDocCommentsAndTags(node)
            .filter(typescript.isJSDoc)
            .map((doc) => typescript.getTextOfJSDocComment(doc.comment) ?? "")
            .filter((comment) => comment !== "")
            .join("\n");
    for (const node of source.statements) {
        const named =
            typescript.isInterfaceDeclaration(node) || typescript.isClassDeclaration(node) || typescript.isTypeAliasDeclaration(node)
                ? [node.name?.text]
                : typescript.isVariableStatement(node)
                  ? node.declarationList.declarations.map((d) => (typescript.isIdentifier(d.name) ? d.name.text : undefined))
                  : [];
        const doc = docOf(node);
        for (const name of named) if (name && doc && !docs.has(name)) docs.set(name, doc);
    }
    return docs;
}

/** The doc comments of `names` in the .ts files under `dir`; one of them documented differently in two files throws. */
export function docsUnder(typescript: typeof ts, dir: string, names: ReadonlySet<string>): Map<string, string> {
    const docs = new Map<string, string>();
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
    for (const file of files.sort()) {
        for (const [name, doc] of docsOfSource(typescript, file, readFileSync(path.join(dir, file), "utf8"))) {
            if (!names.has(name)) continue;
            const known = docs.get(name);
            if (known !== undefined && known !== doc) throw new Error(`${name} is documented twice, differently (${file}): rename one`);
            docs.set(name, doc);
        }
    }
    return docs;
}
