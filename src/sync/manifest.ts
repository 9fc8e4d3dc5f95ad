// The local side of a sync: every file of a source tree with its size and content hash. Hashes are
// cached by (size, mtime), so re-scanning an unchanged tree reads metadata only.
import { createHash } from "node:crypto";
import { createReadStream, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Manifest } from "./diff";
import { fileFingerprint } from "./fingerprint";
import { ignoreRulesFor } from "./ignore";

export interface ScannedFile {
    relativePath: string;
    absolutePath: string;
    size: number;
}

export interface ScanResult {
    manifest: Manifest;
    files: Map<string, ScannedFile>;
    warnings: string[];
}

/** Files stat'ed between two yields to the event loop. */
const YIELD_EVERY = 500;

type HashCache = Record<string, [size: number, mtimeMs: number, sha256: string]>;

function cacheFile(dir: string): string {
    const root = process.env.SKYMOUNT_CACHE ?? path.join(os.homedir(), ".cache", "skymount");
    return path.join(root, "manifests", `${createHash("sha256").update(path.resolve(dir)).digest("hex").slice(0, 16)}.json`);
}

function loadCache(file: string): HashCache {
    try {
        return JSON.parse(readFileSync(file, "utf8")) as HashCache;
    } catch {
        return {};
    }
}

function sha256Of(file: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const hash = createHash("sha256");
        createReadStream(file)
            .on("data", (chunk) => hash.update(chunk))
            .on("end", () => resolve(hash.digest("hex")))
            .on("error", reject);
    });
}

/**
 * Scans `dir`, skipping ignored paths and symlinks (with a warning: links are not followed, as
 * SkyPilot does). `keyPrefix` is prepended to every relative path (for `sources` kept under their
 * basename).
 */
export async function scanTree(dir: string, extraIgnore: string[] = [], keyPrefix = ""): Promise<ScanResult> {
    const rules = ignoreRulesFor(dir, extraIgnore);
    const warnings = [...rules.warnings];
    const found: Array<{ rel: string; abs: string; size: number; mtimeMs: number }> = [];
    // Synchronous calls are the fastest way through a big tree, but a program scans while Pulumi
    // serializes and sends its first registrations: yielding now and then lets those go out (and
    // the engine start the provider) instead of waiting for the whole scan.
    let statted = 0;
    const walk = async (relDir: string): Promise<void> => {
        for (const entry of readdirSync(path.join(dir, relDir), { withFileTypes: true })) {
            const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
            if (entry.isSymbolicLink()) {
                warnings.push(`skipped symlink ${path.join(dir, rel)}: links inside a source are not uploaded`);
            } else if (entry.isDirectory()) {
                if (!rules.test(rel, true)) await walk(rel);
            } else if (entry.isFile() && !rules.test(rel, false)) {
                const stat = lstatSync(path.join(dir, rel));
                found.push({ rel, abs: path.join(dir, rel), size: stat.size, mtimeMs: stat.mtimeMs });
                if (++statted % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
            }
        }
    };
    await new Promise<void>((resolve) => setImmediate(resolve));
    await walk("");
    const cachePath = cacheFile(dir);
    const cache = loadCache(cachePath);
    const next: HashCache = {};
    const manifest: Manifest = {};
    const files = new Map<string, ScannedFile>();
    let hashed = 0;
    for (const f of found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
        const cached = cache[f.rel];
        const hit = cached !== undefined && cached[0] === f.size && cached[1] === f.mtimeMs;
        if (!hit) hashed++;
        const sha = hit ? cached[2] : await sha256Of(f.abs);
        next[f.rel] = [f.size, f.mtimeMs, sha];
        const key = `${keyPrefix}${f.rel}`;
        manifest[key] = fileFingerprint(f.size, sha);
        files.set(key, { relativePath: key, absolutePath: f.abs, size: f.size });
    }
    // An unchanged tree leaves the cache as it was: no megabyte rewritten on every preview.
    if (hashed > 0 || Object.keys(cache).length !== found.length) {
        mkdirSync(path.dirname(cachePath), { recursive: true });
        writeFileSync(cachePath, JSON.stringify(next));
    }
    return { manifest, files, warnings };
}
