// The local side of a sync: every file of a source tree with its size and content hash. Hashes are
// cached by (size, mtime), so re-scanning an unchanged tree reads metadata only.
//
// Built for a million files: listing, stat and hashing run on worker threads once a tree proves big
// (treeWork.ts); the hash cache is one binary file matched in path order (hashCache.ts); per file the
// scan keeps a path string and two numbers until it builds the manifest, which is what consumers read.
import * as path from "node:path";
import { Manifest } from "../core/diff";
import { emptyHashCache, HashCache, hashCachePath, matchHashCache, readHashCache, writeHashCache } from "./hashCache";
import { IgnoreTest, ignoreRulesFor } from "./ignore";
import { ENTRY, inlineWork, TreeWork, workerPool } from "./treeWork";

export interface ScanResult {
    /** Relative path (after `keyPrefix`) to "<size>:<hash>", in path order. */
    manifest: Manifest;
    warnings: string[];
}

/**
 * Where work moves to worker threads, and how it is cut into jobs. Tests lower these to reach the
 * workers and several batches with small trees.
 */
export const scanLimits = {
    /** Entries listed on this thread before the rest of the tree goes to worker threads (which take ~50 ms to start). */
    inlineEntries: 20_000,
    /** Hashing stays on this thread below these (a few small changed files); beyond, it goes to the workers. */
    inlineHashFiles: 200,
    inlineHashBytes: 16 * 1024 * 1024,
    /** One stat or hash job: at most this many files, and for hashing this many bytes (one file may be more). */
    batchFiles: 1000,
    hashBatchBytes: 64 * 1024 * 1024,
};

/** A directory as walked: what it keeps, sorted in path order, and its files' metadata. */
interface DirectoryNode {
    /** Kept entries' relative paths, a directory's with a trailing "/": sorting these sorts whole paths. */
    keys: string[];
    /** Size and mtime of each file among `keys`, in order, interleaved, in batches of scanLimits.batchFiles files. */
    stats: Float64Array[];
    /** The kept subdirectories, in order. */
    children: DirectoryNode[];
}

/** Files in path order: parallel arrays, not an object per file. */
interface WalkedFiles {
    paths: string[];
    sizes: Float64Array;
    mtimes: Float64Array;
}

type Job = () => Promise<void>;

/**
 * Jobs that may add jobs, at most `width()` running at once. `drained` settles when none is left or
 * at the first failure (jobs already running then finish unobserved).
 */
function jobQueue(width: () => number): { add: (job: Job) => void; drained: () => Promise<void> } {
    const waiting: Job[] = [];
    let running = 0;
    let failure: { err: unknown } | undefined;
    let settle: { resolve: () => void; reject: (err: unknown) => void } | undefined;
    const pump = () => {
        if (failure) return settle?.reject(failure.err);
        if (running === 0 && waiting.length === 0) return settle?.resolve();
        // Last in, first out: a walk goes deep before wide, holding fewer listings at once.
        while (running < width() && waiting.length > 0) {
            const job = waiting.pop()!;
            running++;
            job().then(
                () => {
                    running--;
                    pump();
                },
                (err) => {
                    failure ??= { err };
                    pump();
                },
            );
        }
    };
    return {
        add: (job) => {
            waiting.push(job);
            pump();
        },
        drained: () =>
            new Promise<void>((resolve, reject) => {
                settle = { resolve, reject };
                pump();
            }),
    };
}

const SLASH = 47;

/** Every file under the root that `ignored` keeps, symlinks left out with a warning each. */
async function walkTree(
    dir: string,
    ignored: IgnoreTest,
    work: () => TreeWork,
    seen: (entries: number) => void,
): Promise<{ files: WalkedFiles; symlinks: string[] }> {
    const symlinks: string[] = [];
    let fileCount = 0;
    // One size for the whole walk: flatten reads the batches with the size they were cut with.
    const batchFiles = scanLimits.batchFiles;
    const root: DirectoryNode = { keys: [], stats: [], children: [] };
    const jobs = jobQueue(() => work().width);
    const list =
        (node: DirectoryNode, relDir: string): Job =>
        async () => {
            const { keys: listed, kinds } = await work().list(relDir);
            seen(listed.length);
            const keys: string[] = [];
            for (let i = 0; i < listed.length; i++) {
                const key = listed[i];
                if (kinds[i] === ENTRY.symlink) symlinks.push(key);
                else if (kinds[i] === ENTRY.directory) {
                    if (!ignored(key.slice(0, -1), true)) keys.push(key);
                } else if (kinds[i] === ENTRY.file && !ignored(key, false)) keys.push(key);
            }
            // Default sort: UTF-16 code units, as `<` compares; a directory's "/" sorts its files after
            // "a.txt" and before "a0", exactly where a sort of whole paths puts them.
            keys.sort();
            node.keys = keys;
            const files = keys.filter((key) => key.charCodeAt(key.length - 1) !== SLASH);
            fileCount += files.length;
            for (let from = 0, part = 0; from < files.length; from += batchFiles, part++) {
                const batch = files.slice(from, from + batchFiles);
                jobs.add(async () => void (node.stats[part] = await work().stat(batch)));
            }
            for (const key of keys) {
                if (key.charCodeAt(key.length - 1) !== SLASH) continue;
                const child: DirectoryNode = { keys: [], stats: [], children: [] };
                node.children.push(child);
                jobs.add(list(child, key.slice(0, -1)));
            }
        };
    jobs.add(list(root, ""));
    await jobs.drained();
    const files: WalkedFiles = {
        paths: new Array<string>(fileCount),
        sizes: new Float64Array(fileCount),
        mtimes: new Float64Array(fileCount),
    };
    let at = 0;
    const flatten = (node: DirectoryNode) => {
        let file = 0;
        let child = 0;
        for (const key of node.keys) {
            if (key.charCodeAt(key.length - 1) === SLASH) flatten(node.children[child++]);
            else {
                const batch = node.stats[Math.floor(file / batchFiles)];
                const offset = 2 * (file++ % batchFiles);
                files.paths[at] = key;
                files.sizes[at] = batch[offset];
                files.mtimes[at++] = batch[offset + 1];
            }
        }
    };
    flatten(root);
    return { files, symlinks: symlinks.sort().map((rel) => path.join(dir, rel)) };
}

/** Fingerprints the files at `indices` of `files`, in batches of bounded count and bytes. */
async function fingerprintFiles(files: WalkedFiles, indices: number[], fingerprints: string[], work: TreeWork): Promise<void> {
    const jobs = jobQueue(() => work.width);
    for (let from = 0; from < indices.length;) {
        let to = from + 1;
        let bytes = files.sizes[indices[from]];
        while (to < indices.length && to - from < scanLimits.batchFiles && bytes + files.sizes[indices[to]] <= scanLimits.hashBatchBytes)
            bytes += files.sizes[indices[to++]];
        const batch = indices.slice(from, to);
        jobs.add(async () => {
            const made = await work.fingerprint(
                batch.map((i) => files.paths[i]),
                Float64Array.from(batch, (i) => files.sizes[i]),
            );
            batch.forEach((file, k) => (fingerprints[file] = made[k]));
        });
        from = to;
    }
    await jobs.drained();
}

/**
 * Scans `dir`, skipping ignored paths and symlinks (with a warning: links are not followed, as
 * SkyPilot does). `keyPrefix` is prepended to every relative path (for `sources` kept under their
 * basename).
 */
export async function scanTree(dir: string, extraIgnore: string[] = [], keyPrefix = ""): Promise<ScanResult> {
    const rules = ignoreRulesFor(dir, extraIgnore);
    const root = path.resolve(dir);
    const cachePath = hashCachePath(dir);
    const inline = inlineWork(root);
    let pool: TreeWork | undefined;
    let cache: HashCache | undefined;
    let listed = 0;
    const startPool = () => (pool ??= workerPool(root));
    try {
        // A program scans while Pulumi serializes and sends its first registrations: yielding first
        // lets those go out (and the engine start the provider) instead of waiting for the scan.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const { files, symlinks } = await walkTree(
            dir,
            rules.test,
            () => pool ?? inline,
            (entries) => {
                listed += entries;
                if (listed <= scanLimits.inlineEntries || pool) return;
                startPool();
                // While the workers list and stat, this thread has time to read the cache.
                setImmediate(() => (cache ??= readHashCache(cachePath)));
            },
        );
        cache ??= readHashCache(cachePath);
        const { fingerprints, misses } = matchHashCache(cache, files);
        const unchanged = misses.length === 0 && cache.count === files.paths.length;
        // What the manifest needs of the cache is in `fingerprints` now; the rest can go.
        cache = emptyHashCache();
        if (misses.length > 0) {
            let missBytes = 0;
            for (const i of misses) missBytes += files.sizes[i];
            const onWorkers = misses.length > scanLimits.inlineHashFiles || missBytes > scanLimits.inlineHashBytes;
            await fingerprintFiles(files, misses, fingerprints, onWorkers ? startPool() : inline);
        }
        await (pool as TreeWork | undefined)?.close();
        pool = undefined;
        // One call, not a loop of assignments: about a third less CPU for a million entries, and no
        // array of entries held at once.
        const manifest: Manifest = Object.fromEntries(
            (function* () {
                for (let i = 0; i < fingerprints.length; i++) yield [keyPrefix + files.paths[i], fingerprints[i]];
            })(),
        );
        // An unchanged tree leaves the cache as it was: no megabytes rewritten on every preview.
        if (!unchanged) writeHashCache(cachePath, { ...files, fingerprints });
        const warnings = [...rules.warnings, ...symlinks.map((link) => `skipped symlink ${link}: links inside a source are not uploaded`)];
        return { manifest, warnings };
    } finally {
        await (pool as TreeWork | undefined)?.close();
    }
}
