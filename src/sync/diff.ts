// What a sync must do: compare the local tree with what this sync uploaded before. Pure.
// Only keys this sync uploaded may be deleted: objects others put in the bucket are never touched.

/** Relative path → content fingerprint ("<size>:<hash>", see fingerprint.ts; copies: "<size>:<ETag>"). */
export type Manifest = Record<string, string>;

export interface SyncActions {
    add: string[];
    change: string[];
    remove: string[];
}

export function diffManifests(local: Manifest, uploaded: Manifest): SyncActions {
    const add: string[] = [];
    const change: string[] = [];
    const remove: string[] = [];
    for (const [file, fingerprint] of Object.entries(local)) {
        if (!(file in uploaded)) add.push(file);
        else if (uploaded[file] !== fingerprint) change.push(file);
    }
    for (const file of Object.keys(uploaded)) if (!(file in local)) remove.push(file);
    return { add: add.sort(), change: change.sort(), remove: remove.sort() };
}

const NAMES_SHOWN = 5;

/** The first few names of a list, and how many more: "a, b, c, d, e, … (+2)". */
export function namesOf(list: string[]): string {
    const shown = list.slice(0, NAMES_SHOWN).join(", ");
    return list.length > NAMES_SHOWN ? `${shown}, … (+${list.length - NAMES_SHOWN})` : shown;
}

/** "2 added (a.csv, b.csv); 1 changed (c.csv); 0 removed": what preview shows for a sync. */
export function describeActions(actions: SyncActions): string {
    const part = (count: number, verb: string, list: string[]) => (count ? `${count} ${verb} (${namesOf(list)})` : `0 ${verb}`);
    return [
        part(actions.add.length, "added", actions.add),
        part(actions.change.length, "changed", actions.change),
        part(actions.remove.length, "removed", actions.remove),
    ].join("; ");
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
        .map((file) => `${escapePath(file)}\t${manifest[file]}`)
        .join("\n");
}

export function decodeManifest(text: string): Manifest {
    const manifest: Manifest = {};
    if (text === "") return manifest;
    for (const line of text.split("\n")) {
        const tab = line.lastIndexOf("\t");
        if (tab < 0) throw new Error(`manifest line without a fingerprint: ${JSON.stringify(line)}`);
        manifest[unescapePath(line.slice(0, tab))] = line.slice(tab + 1);
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
