// The host scripts are shell files (sh/*.sh), read by the one loader below, so that shellcheck reads
// them and their comments reach the host. A renderer fills in the values a script is given, as
// quoted assignments after the file's opening comment, and the shell functions it uses: values are
// never spliced into the file's text itself.
import { readPackageFile } from "../internal/packageFile";
import { commentText, quote } from "./shell";

/** A value a script is given: a string or number (quoted), a list (a bash array), a flag ("1" or ""). */
export type ScriptValue = string | number | boolean | readonly string[];

const texts = new Map<string, string>();

/** The text of one file of sh/, read once: from the package (src/ ships in it), or the standalone plugin's assets. */
export function scriptFile(name: string): string {
    let text = texts.get(name);
    if (text === undefined) {
        text = readPackageFile(`src/hostScripts/sh/${name}`);
        texts.set(name, text);
    }
    return text;
}

/** A shell variable's name, checked: names are written into scripts unquoted. */
export function shellName(name: string): string {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`host script value ${JSON.stringify(name)}: not a shell variable name`);
    return name;
}

/** `name=<quoted value>` lines, in the order given. */
export function assignments(values: Record<string, ScriptValue>): string[] {
    return Object.entries(values).map(([name, value]) => {
        shellName(name);
        if (typeof value === "boolean") return `${name}=${value ? "1" : "''"}`;
        if (typeof value === "string" || typeof value === "number") return `${name}=${quote(value)}`;
        return `${name}=(${value.map(quote).join(" ")})`;
    });
}

/** A library of shell functions (a file of sh/ with no #! line) with the values it needs, as lines. */
export function shellFunctions(file: string, values: Record<string, ScriptValue> = {}): string[] {
    return [...assignments(values), ...scriptFile(file).replace(/\n$/, "").split("\n")];
}

export interface ScriptParts {
    /** Said in the script's second line (`# skymount: <description>`), for whoever reads it in a log or on a host. */
    description?: string;
    values?: Record<string, ScriptValue>;
    /** Lines after the values (an environment that is exported, say). */
    preamble?: string[];
    /** Libraries of functions the script uses (shellFunctions), before its own text. */
    functions?: string[][];
}

/** A host script: `file`'s text with its values filled in: its #! line, the description, the file's
 *  opening comment (what the script does), the values, the functions, then the rest of the file. */
export function renderScript(file: string, parts: ScriptParts = {}): string {
    const lines = scriptFile(file).split("\n");
    if (!lines[0].startsWith("#!")) throw new Error(`host script ${file}: its first line is not a #! line`);
    let body = 1;
    while (body < lines.length && lines[body].startsWith("#")) body++;
    return [
        lines[0],
        ...(parts.description === undefined ? [] : [`# skymount: ${commentText(parts.description)}`]),
        ...lines.slice(1, body),
        ...assignments(parts.values ?? {}),
        ...(parts.preamble ?? []),
        ...(parts.functions ?? []).flat(),
        ...lines.slice(body),
    ].join("\n");
}
