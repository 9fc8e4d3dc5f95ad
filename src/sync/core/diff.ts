// A manifest (path → fingerprint), its canonical text (one sorted line per file: what a record holds
// and what core/recordDiff.ts diffs as a stream), and what a diff is said as (the summary). Pure.

/** Relative path → content fingerprint ("<size>:<hash>", see fingerprint.ts; copies: "<size>:<ETag>"). */
export type Manifest = Record<string, string>;

/** Whole lists of paths by kind of change (describeActions). */
export interface SyncActions {
    add: string[];
    change: string[];
    remove: string[];
}

const NAMES_SHOWN = 5;

/** Paths a sync's summary names per list: what `pulumi preview --diff` shows of a change. */
export const SUMMARY_NAMES = 100;
/** Characters of names per list, whatever their length: the summary is in state twice and must stay small. */
const SUMMARY_NAME_CHARS = 8 * 1024;

/**
 * The first few names of a list, and how many more: "a, b, c, d, e, … (+2)". At most `max` names and
 * `maxChars` of them; `total` is the whole list's length when `list` holds only its first names.
 */
export function namesOf(list: string[], max = NAMES_SHOWN, maxChars = Infinity, total = list.length): string {
    const shown: string[] = [];
    let chars = 0;
    for (const name of list.slice(0, max)) {
        if (shown.length > 0 && chars + name.length > maxChars) break;
        shown.push(name);
        chars += name.length + 2;
    }
    return total > shown.length ? `${shown.join(", ")}, … (+${total - shown.length})` : shown.join(", ");
}

/** One kind of change: how many, and the first SUMMARY_NAMES paths in path order. */
export interface NamedCount {
    count: number;
    first: string[];
}

/** What a diff found, as counts and first names: what a summary says, without every path (recordDiff.ts). */
export interface ChangeSummary {
    add: NamedCount;
    change: NamedCount;
    remove: NamedCount;
}

/** "2 added (a.csv, b.csv); 1 changed (c.csv); 0 removed": what preview shows for a sync, up to 100 names a list. */
export function describeSummary(summary: ChangeSummary): string {
    const part = ({ count, first }: NamedCount, verb: string) =>
        count ? `${count} ${verb} (${namesOf(first, SUMMARY_NAMES, SUMMARY_NAME_CHARS, count)})` : `0 ${verb}`;
    return [part(summary.add, "added"), part(summary.change, "changed"), part(summary.remove, "removed")].join("; ");
}

/** describeSummary of whole lists. */
export function describeActions(actions: SyncActions): string {
    const named = (list: string[]): NamedCount => ({ count: list.length, first: list.slice(0, SUMMARY_NAMES) });
    return describeSummary({ add: named(actions.add), change: named(actions.change), remove: named(actions.remove) });
}

/**
 * A manifest as text: one line per file, "<path>\t<fingerprint>", sorted by path. One string crosses
 * Pulumi's gRPC boundaries far faster than a 10,000-key object, and `pulumi preview --diff` shows a
 * changed multi-line string as a line diff: exactly the files that changed, with a little context.
 * Backslash, tab, newline and carriage return in paths are escaped.
 */
export function encodeManifest(manifest: Manifest): string {
    return Object.keys(manifest)
        .sort()
        .map((file) => manifestLine(file, manifest[file]))
        .join("\n");
}

/** The line of `file` in a manifest's canonical text (encodeManifest: lines sorted by path, joined by "\n"). */
export function manifestLine(file: string, fingerprint: string): string {
    return `${escapePath(file)}\t${fingerprint}`;
}

/** One line of a manifest's canonical text: its path and fingerprint. */
export function parseManifestLine(line: string): [file: string, fingerprint: string] {
    const tab = line.lastIndexOf("\t");
    if (tab < 0) throw new Error(`manifest line without a fingerprint: ${JSON.stringify(line)}`);
    return [unescapePath(line.slice(0, tab)), line.slice(tab + 1)];
}

export function decodeManifest(text: string): Manifest {
    const manifest: Manifest = {};
    if (text === "") return manifest;
    for (const line of text.split("\n")) {
        const [file, fingerprint] = parseManifestLine(line);
        manifest[file] = fingerprint;
    }
    return manifest;
}

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const UNESCAPES: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r" };

function escapePath(file: string): string {
    return file.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]);
}

function unescapePath(text: string): string {
    return text.replace(/\\(.)/g, (_, c: string) => {
        const plain = UNESCAPES[c];
        if (plain === undefined) throw new Error(`manifest path with an unknown escape: ${JSON.stringify(text)}`);
        return plain;
    });
}
