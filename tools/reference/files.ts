// The reference as files: rendered from the repository's sdk/schema.json and example programs, and
// written into a directory that holds nothing else (pages of types that left the schema go with it).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { renderReference } from "./pages";
import { PackageSpec } from "./schema";
import { findSnippet } from "./snippets";

/** Every page, by file name, for the repository at root. */
export function referencePages(root: string): Map<string, string> {
    const schema = JSON.parse(readFileSync(path.join(root, "sdk", "schema.json"), "utf8")) as PackageSpec;
    return renderReference(schema, (language, component) => findSnippet(root, language, component));
}

/** Replaces outDir's Markdown files with the pages; returns their names. */
export function writeReference(root: string, outDir: string): string[] {
    const pages = referencePages(root);
    mkdirSync(outDir, { recursive: true });
    for (const name of readdirSync(outDir)) if (name.endsWith(".md") && !pages.has(name)) rmSync(path.join(outDir, name));
    for (const [name, text] of pages) writeFileSync(path.join(outDir, name), text);
    return [...pages.keys()];
}
