// The reference's examples are cut from the example programs under examples/, which `npm test` type-checks
// (TypeScript), compiles (Go), imports (Python) and checks against the schema (YAML): a snippet is the
// statement that declares a component, taken from the first program (in path order) that declares it.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { Language } from "./spelling";

export interface Snippet {
    /** The program's path relative to the repository, with "/" separators. */
    file: string;
    code: string;
}

/** Each language's program files: the names Pulumi runs, and how a declaration of component `name` starts. */
const PROGRAMS: Record<Language, { fileName: string; start: (name: string) => RegExp; fence: string; comment: string }> = {
    TypeScript: { fileName: "index.ts", start: (name) => new RegExp(`\\bnew ${name}\\(`), fence: "ts", comment: "//" },
    Python: { fileName: "__main__.py", start: (name) => new RegExp(`\\b${name}\\(`), fence: "python", comment: "#" },
    Go: { fileName: "main.go", start: (name) => new RegExp(`\\bNew${name}\\(`), fence: "go", comment: "//" },
    YAML: { fileName: "Pulumi.yaml", start: (name) => new RegExp(`^\\s*type: \\S+:${name}\\s*$`, "m"), fence: "yaml", comment: "#" },
};

export function fenceOf(language: Language): string {
    return PROGRAMS[language].fence;
}

function programFiles(root: string, fileName: string, dir = "examples"): string[] {
    const found: string[] = [];
    const entries = readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
        const relative = `${dir}/${entry.name}`;
        if (entry.isDirectory() && entry.name !== "node_modules" && entry.name !== "data")
            found.push(...programFiles(root, fileName, relative));
        else if (entry.isFile() && entry.name === fileName) found.push(relative);
    }
    return found;
}

/** From the opening parenthesis at `open`, the index just past its matching close; strings and comments are skipped. */
function closingParen(text: string, open: number, comment: string): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (text.startsWith(comment, i)) i = text.indexOf("\n", i) === -1 ? text.length : text.indexOf("\n", i);
        else if (c === '"' || c === "'" || c === "`") {
            for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
        } else if (c === "(" || c === "[" || c === "{") depth++;
        else if (c === ")" || c === "]" || c === "}") {
            depth--;
            if (depth === 0) return i + 1;
        }
    }
    return text.length;
}

function dedent(lines: string[]): string {
    const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => /^\s*/.exec(l)![0].length));
    return lines.map((l) => l.slice(indent)).join("\n");
}

/** The call that declares the component, from the start of its line to the end of the line that closes it. */
function callSnippet(text: string, match: RegExpExecArray, comment: string): string {
    const lineStart = text.lastIndexOf("\n", match.index) + 1;
    const close = closingParen(text, match.index + match[0].length - 1, comment);
    const lineEnd = text.indexOf("\n", close);
    return dedent(text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).split("\n"));
}

/** A YAML resource: its key (the line above `type:`) and every line indented under it. */
function yamlSnippet(text: string, match: RegExpExecArray): string {
    const lines = text.split("\n");
    const typeLine = text.slice(0, match.index + match[0].search(/\S/)).split("\n").length - 1;
    const keyLine = typeLine - 1;
    const keyIndent = /^\s*/.exec(lines[keyLine])![0].length;
    let end = typeLine + 1;
    while (end < lines.length && (lines[end].trim() === "" || /^\s*/.exec(lines[end])![0].length > keyIndent)) end++;
    while (lines[end - 1].trim() === "") end--;
    return dedent(lines.slice(keyLine, end));
}

/** The first declaration of component `name` among the examples in `language`, if any. */
export function findSnippet(root: string, language: Language, name: string): Snippet | undefined {
    const program = PROGRAMS[language];
    for (const file of programFiles(root, program.fileName)) {
        const text = readFileSync(path.join(root, file), "utf8");
        if (language === "YAML" && !/^runtime:\s*yaml\s*$/m.test(text)) continue;
        const match = program.start(name).exec(text);
        if (match) return { file, code: language === "YAML" ? yamlSnippet(text, match) : callSnippet(text, match, program.comment) };
    }
    return undefined;
}
