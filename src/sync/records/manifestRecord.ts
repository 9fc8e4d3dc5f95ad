// A sync's manifest as a record: its canonical text (encodeManifest), gzip-compressed and named by
// its digest (SHA-256 of the text). The state always holds the digest, the file count and the total
// bytes; where the record itself is kept is recordPlace.ts's business (the state when it is small, a
// location the user names, or only here). This module is the record's format and the local cache
// (`$SKYMOUNT_CACHE/records/<digest>.gz`, default ~/.cache/skymount): the program writes the manifest
// it scanned there and the provider, on the same machine in the same run, reads it back by digest.
// A text whose digest is not its name is refused wherever it is read.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { Manifest, manifestLine } from "../core/diff";
import { sizeOfFingerprint } from "../core/fingerprint";

/** What the state keeps of a manifest: bounded whatever the number of files. */
export interface ManifestRef {
    /** SHA-256 (hex) of the manifest's canonical text. */
    digest: string;
    files: number;
    bytes: number;
}

/** A ref as the program makes it: with the compressed record itself when it is small enough for the state. */
export interface LocalRecordRef extends ManifestRef {
    /** The compressed record, base64, when at most INLINE_RECORD_BYTES (and the manifest is not empty). */
    inline?: string;
}

/**
 * The largest compressed record the state keeps (about 5,000 files). The state holds it twice, in
 * the resource's inputs (where preview finds the last run's record) and in its outputs (where up,
 * refresh and destroy find it): about 350 KiB of base64 at most per sync.
 */
export const INLINE_RECORD_BYTES = 128 * 1024;

/** Local records kept: the most recently used; an evicted one is fetched from the bucket again. */
const LOCAL_RECORDS_KEPT = 32;

export function digestOfText(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/** The digest of the empty manifest: known everywhere, never stored. */
export const EMPTY_DIGEST = digestOfText("");

/** A digest, and not the unknown marker (or anything else) a preview may pass in its place. */
export function isDigest(value: unknown): value is string {
    return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}

/**
 * The manifest's canonical text (encodeManifest) in pieces of at most LINES_PER_PIECE lines, in
 * order: their concatenation is the text. A million files' text is about 60 MB as one string (and as
 * many again in the lines joined into it); in pieces, the manifest is all that is held.
 */
function* textPieces(manifest: Manifest, files = sortedFiles(manifest)): Generator<string> {
    for (let start = 0; start < files.length; start += LINES_PER_PIECE) {
        const lines = files.slice(start, start + LINES_PER_PIECE).map((file) => manifestLine(file, manifest[file]));
        yield (start === 0 ? "" : "\n") + lines.join("\n");
    }
}

const LINES_PER_PIECE = 10_000;

/** The manifest's paths in the canonical text's order. */
const sortedFiles = (manifest: Manifest) => Object.keys(manifest).sort();

/** The manifest's digest, count and bytes, hashed piece by piece. */
export function refOf(manifest: Manifest, sorted = sortedFiles(manifest)): ManifestRef {
    const hash = createHash("sha256");
    for (const piece of textPieces(manifest, sorted)) hash.update(piece);
    let bytes = 0;
    let files = 0;
    for (const fingerprint of Object.values(manifest)) {
        bytes += sizeOfFingerprint(fingerprint);
        files++;
    }
    return { digest: hash.digest("hex"), files, bytes };
}

/** The manifest's compressed record (its canonical text, gzip), compressed piece by piece. */
export async function encodeRecord(manifest: Manifest, files = sortedFiles(manifest)): Promise<Buffer> {
    const gzip = zlib.createGzip({ level: 1 });
    const parts: Buffer[] = [];
    gzip.on("data", (part: Buffer) => parts.push(part));
    const ended = new Promise<void>((resolve, reject) => {
        gzip.on("end", resolve);
        gzip.on("error", reject);
    });
    for (const piece of textPieces(manifest, files)) {
        if (!gzip.write(piece)) await new Promise((resolve) => gzip.once("drain", resolve));
    }
    gzip.end();
    await ended;
    return Buffer.concat(parts);
}

/**
 * Records `manifest` in the local cache (unless it is there already, or empty) and returns its ref,
 * with the record itself when it is small enough for the state: what a program does with the tree
 * it scanned or the listing it took.
 */
export async function recordLocally(manifest: Manifest): Promise<LocalRecordRef> {
    const files = sortedFiles(manifest);
    const ref = refOf(manifest, files);
    if (ref.files === 0) return ref;
    const file = await keepLocally(ref.digest, () => encodeRecord(manifest, files));
    if ((await stat(file)).size > INLINE_RECORD_BYTES) return ref;
    return { ...ref, inline: (await readFile(file)).toString("base64") };
}

/** The key of a record in a store: `base` (one sync's own, recordPlace.ts), then "manifest-<digest>.gz". */
export function recordKey(base: string, digest: string): string {
    return `${recordKeyPrefix(base)}${digest}.gz`;
}

/** What every record under `base` starts with (and no other sync's: the name ends in "manifest-"). */
export function recordKeyPrefix(base: string): string {
    return `${base}manifest-`;
}

/** The digest a record key names, if it is one of the records under `base`. */
export function digestOfRecordKey(base: string, key: string): string | undefined {
    const start = recordKeyPrefix(base);
    if (!key.startsWith(start) || !key.endsWith(".gz")) return undefined;
    const digest = key.slice(start.length, -3);
    return isDigest(digest) ? digest : undefined;
}

/** The cache root: SKYMOUNT_CACHE, else ~/.cache/skymount (as the hash cache and the toolchain). */
function cacheRoot(): string {
    return process.env.SKYMOUNT_CACHE ?? path.join(os.homedir(), ".cache", "skymount");
}

export function localRecordPath(digest: string): string {
    return path.join(cacheRoot(), "records", `${digest}.gz`);
}

/**
 * Writes a record to the local cache unless it is there already (then only marks it used), and
 * returns its path. `compressed` makes the bytes only when they are needed. Written to a temporary
 * name and renamed, so a reader never sees half a record; the least recently used records beyond
 * LOCAL_RECORDS_KEPT are removed.
 */
export async function keepLocally(digest: string, compressed: () => Promise<Buffer>): Promise<string> {
    const file = localRecordPath(digest);
    try {
        const now = new Date();
        await utimes(file, now, now);
        return file;
    } catch {
        // Not there yet.
    }
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${randomBytes(6).toString("hex")}.partial`;
    await writeFile(partial, await compressed());
    await rename(partial, file);
    await pruneLocal(path.dirname(file)).catch(() => undefined);
    return file;
}

/** The compressed record of `digest` in the local cache, unchecked (its reader checks it); undefined when it is not there. */
export async function readLocally(digest: string): Promise<Buffer | undefined> {
    try {
        return await readFile(localRecordPath(digest));
    } catch {
        return undefined;
    }
}

/** Removes the local record of `digest` (found damaged: the next read goes to the bucket, or scans again). */
export async function forgetLocally(digest: string): Promise<void> {
    await unlink(localRecordPath(digest)).catch(() => undefined);
}

async function pruneLocal(dir: string): Promise<void> {
    const names = (await readdir(dir)).filter((name) => name.endsWith(".gz"));
    if (names.length <= LOCAL_RECORDS_KEPT) return;
    const dated = await Promise.all(names.map(async (name) => ({ name, used: (await stat(path.join(dir, name))).mtimeMs })));
    dated.sort((a, b) => b.used - a.used);
    for (const old of dated.slice(LOCAL_RECORDS_KEPT)) await unlink(path.join(dir, old.name)).catch(() => undefined);
}
