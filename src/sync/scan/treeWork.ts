// The file system work of a scan: listing directories, stat'ing files and hashing them, either inline
// (small trees: a worker costs tens of milliseconds to start) or on worker threads, so a big tree uses
// every core and the program's own thread stays free for Pulumi's registrations.
//
// Both run the same code, kept as JavaScript text: a worker is started from source (`eval`), because
// under ts-node or tsx, as programs and tests run skymount, there is no .js file to start it from.
import * as os from "node:os";
import { Worker } from "node:worker_threads";

/** Kinds of directory entries, as a listing reports them (anything else, a socket or a FIFO, is 0). */
export const ENTRY = { file: 1, directory: 2, symlink: 3 } as const;

export interface DirectoryListing {
    /** Each entry's path relative to the root, a directory's with a trailing "/". */
    keys: string[];
    kinds: Uint8Array;
}

/** The work, on paths relative to the scanned root ("" for the root itself). */
export interface TreeWork {
    list(relativeDir: string): Promise<DirectoryListing>;
    /** Size and mtime (ms) of each file, interleaved: [size0, mtime0, size1, mtime1, …]. */
    stat(relativePaths: string[]): Promise<Float64Array>;
    /** Each file's fingerprint (fingerprint.ts) for the size it was stat'ed at. */
    fingerprint(relativePaths: string[], sizes: Float64Array): Promise<string[]>;
    /** Jobs worth keeping in flight. */
    readonly width: number;
    close(): Promise<void>;
}

/**
 * Sync functions of `root`. Paths travel joined by "\0", which no path contains, so a message is one
 * string however many entries it carries, and the receiving side splits it into one string per entry
 * (a listing builds whole relative paths, not names to join later: fewer strings on the scan's
 * thread). Files are read through one 1 MiB buffer: memory does not grow with file sizes. A short
 * read is not taken for the end of a file.
 */
const WORK_SOURCE = String.raw`
const fs = require("node:fs");
const { createHash } = require("node:crypto");
const chunk = Buffer.allocUnsafe(1024 * 1024);
const under = (root, rel) => (rel === "" ? root : root + "/" + rel);
function listDirectory(root, relDir) {
    const entries = fs.readdirSync(under(root, relDir), { withFileTypes: true });
    const keys = new Array(entries.length);
    const kinds = new Uint8Array(entries.length);
    const prefix = relDir === "" ? "" : relDir + "/";
    for (let i = 0; i < entries.length; i++) {
        const entry = entries[i];
        kinds[i] = entry.isSymbolicLink() ? 3 : entry.isDirectory() ? 2 : entry.isFile() ? 1 : 0;
        keys[i] = kinds[i] === 2 ? prefix + entry.name + "/" : prefix + entry.name;
    }
    return { keys: keys.join("\0"), kinds };
}
function statFiles(root, rels) {
    const out = new Float64Array(rels.length * 2);
    for (let i = 0; i < rels.length; i++) {
        const stat = fs.lstatSync(under(root, rels[i]));
        out[2 * i] = stat.size;
        out[2 * i + 1] = stat.mtimeMs;
    }
    return out;
}
function fingerprintFiles(root, rels, sizes) {
    const out = new Array(rels.length);
    for (let i = 0; i < rels.length; i++) {
        const fd = fs.openSync(under(root, rels[i]), "r");
        try {
            const hash = createHash("sha256");
            for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0; ) hash.update(n === chunk.length ? chunk : chunk.subarray(0, n));
            out[i] = sizes[i] + ":" + hash.digest().toString("base64url", 0, 16);
        } finally {
            fs.closeSync(fd);
        }
    }
    return out.join("\0");
}
`;

const WORKER_SOURCE = String.raw`${WORK_SOURCE}
const { parentPort, workerData } = require("node:worker_threads");
const split = (joined, separator) => (joined === "" ? [] : joined.split(separator));
parentPort.on("message", ({ id, op, paths, sizes }) => {
    try {
        if (op === "list") {
            const listing = listDirectory(workerData.root, paths);
            parentPort.postMessage({ id, result: listing }, [listing.kinds.buffer]);
        } else if (op === "stat") {
            const result = statFiles(workerData.root, split(paths, "\0"));
            parentPort.postMessage({ id, result }, [result.buffer]);
        } else {
            parentPort.postMessage({ id, result: fingerprintFiles(workerData.root, split(paths, "\0"), sizes) });
        }
    } catch (err) {
        parentPort.postMessage({ id, error: { message: err.message, code: err.code } });
    }
});
`;

interface WorkFunctions {
    listDirectory(root: string, relDir: string): { keys: string; kinds: Uint8Array };
    statFiles(root: string, rels: string[]): Float64Array;
    fingerprintFiles(root: string, rels: string[], sizes: Float64Array): string;
}

let inline: WorkFunctions | undefined;

/** The inline functions, made once per process. */
function inlineFunctions(): WorkFunctions {
    inline ??= new Function("require", `${WORK_SOURCE}\nreturn { listDirectory, statFiles, fingerprintFiles };`)(require) as WorkFunctions;
    return inline;
}

function splitPaths(joined: string): string[] {
    return joined === "" ? [] : joined.split("\0");
}

/** Entries stat'ed or hashed inline between two yields to the event loop. */
const INLINE_YIELD_EVERY = 500;

/** The work on this thread; it yields to the event loop now and then, as a long synchronous walk would not. */
export function inlineWork(root: string): TreeWork {
    const work = inlineFunctions();
    let sinceYield = 0;
    const pace = async (entries: number) => {
        sinceYield += entries;
        if (sinceYield >= INLINE_YIELD_EVERY) {
            sinceYield = 0;
            await new Promise<void>((resolve) => setImmediate(resolve));
        }
    };
    return {
        width: 1,
        async list(relDir) {
            const { keys, kinds } = work.listDirectory(root, relDir);
            await pace(kinds.length / 4);
            return { keys: splitPaths(keys), kinds };
        },
        async stat(rels) {
            const out = work.statFiles(root, rels);
            await pace(rels.length);
            return out;
        },
        async fingerprint(rels, sizes) {
            const out = work.fingerprintFiles(root, rels, sizes);
            await pace(rels.length * 4);
            return splitPaths(out);
        },
        close: async () => undefined,
    };
}

interface Pending {
    resolve: (value: unknown) => void;
    reject: (err: Error) => void;
}

/** How many workers a scan starts: one per core, within reason. */
export function workerCount(): number {
    return Math.max(1, Math.min(os.availableParallelism(), 8));
}

/** The work on `count` worker threads; each job goes to the worker with the fewest in flight. */
export function workerPool(root: string, count = workerCount()): TreeWork {
    const pending = new Map<number, Pending>();
    let nextId = 0;
    let failure: Error | undefined;
    let closing = false;
    const workers = Array.from({ length: count }, () => {
        // No execArgv: a loader the program runs under (tsx, ts-node) has nothing to do in this source.
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root }, execArgv: [] });
        const slot = { worker, inFlight: new Set<number>() };
        worker.on("message", ({ id, result, error }: { id: number; result?: unknown; error?: { message: string; code?: string } }) => {
            slot.inFlight.delete(id);
            const job = pending.get(id)!;
            pending.delete(id);
            if (error) job.reject(Object.assign(new Error(error.message), { code: error.code }));
            else job.resolve(result);
        });
        // A worker that dies (out of memory, killed) fails what it held and every later job.
        const fail = (err: Error) => {
            failure ??= err;
            for (const id of slot.inFlight) pending.get(id)?.reject(err);
            slot.inFlight.clear();
        };
        worker.on("error", fail);
        worker.on("exit", (code) => {
            if (!closing) fail(new Error(`a scan worker stopped (exit code ${code})`));
        });
        return slot;
    });
    const run = <T>(op: string, paths: string, sizes?: Float64Array): Promise<T> => {
        if (failure) return Promise.reject(failure);
        const slot = workers.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
        const id = nextId++;
        slot.inFlight.add(id);
        return new Promise<T>((resolve, reject) => {
            pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
            slot.worker.postMessage({ id, op, paths, sizes });
        });
    };
    return {
        width: 2 * count,
        async list(relDir) {
            const { keys, kinds } = await run<{ keys: string; kinds: Uint8Array }>("list", relDir);
            return { keys: splitPaths(keys), kinds };
        },
        stat: (rels) => run<Float64Array>("stat", rels.join("\0")),
        fingerprint: async (rels, sizes) => splitPaths(await run<string>("fingerprint", rels.join("\0"), sizes)),
        async close() {
            closing = true;
            await Promise.all(workers.map(({ worker }) => worker.terminate()));
        },
    };
}
