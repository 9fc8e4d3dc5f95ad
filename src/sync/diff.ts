// What a sync must do: compare the local tree with what this sync uploaded before. Pure.
// Only keys this sync uploaded may be deleted: objects others put in the bucket are never touched.

/** Relative path → content fingerprint ("<size>:<sha256>"). */
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

function names(list: string[]): string {
    const shown = list.slice(0, NAMES_SHOWN).join(", ");
    return list.length > NAMES_SHOWN ? `${shown}, … (+${list.length - NAMES_SHOWN})` : shown;
}

/** "2 added (a.csv, b.csv); 1 changed (c.csv); 0 removed": what preview shows for a sync. */
export function describeActions(actions: SyncActions): string {
    const part = (count: number, verb: string, list: string[]) => (count ? `${count} ${verb} (${names(list)})` : `0 ${verb}`);
    return [part(actions.add.length, "added", actions.add), part(actions.change.length, "changed", actions.change), part(actions.remove.length, "removed", actions.remove)].join("; ");
}
