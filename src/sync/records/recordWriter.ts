// A record written as its entries come, in path order: the canonical text (core/diff.ts) hashed and
// gzipped a batch at a time, with its count and bytes. What refresh writes (the recorded manifest less
// what drifted) without holding that manifest or the one it came from: only the compressed record.
import { createHash } from "node:crypto";
import * as zlib from "node:zlib";
import { manifestLine } from "../core/diff";
import { sizeOfFingerprint } from "../core/fingerprint";
import type { EntryBatch } from "../core/recordDiff";
import type { ManifestRef } from "./manifestRecord";

/** A record as written: its ref and its compressed body. */
export interface WrittenRecord {
    ref: ManifestRef;
    body: Buffer;
}

export class RecordWriter {
    private readonly hash = createHash("sha256");
    private readonly gzip = zlib.createGzip({ level: 1 });
    private readonly parts: Buffer[] = [];
    private readonly ended: Promise<void>;
    private files = 0;
    private bytes = 0;

    constructor() {
        this.gzip.on("data", (part: Buffer) => this.parts.push(part));
        this.ended = new Promise((resolve, reject) => {
            this.gzip.on("end", resolve);
            this.gzip.on("error", reject);
        });
    }

    /** Adds the entries of `batch`, whose paths come after every path added before. */
    async add(batch: EntryBatch): Promise<void> {
        if (batch.paths.length === 0) return;
        const lines = batch.paths.map((file, i) => manifestLine(file, batch.fingerprints[i])).join("\n");
        const piece = this.files === 0 ? lines : `\n${lines}`;
        this.files += batch.paths.length;
        for (const fingerprint of batch.fingerprints) this.bytes += sizeOfFingerprint(fingerprint);
        this.hash.update(piece);
        if (!this.gzip.write(piece)) await new Promise((resolve) => this.gzip.once("drain", resolve));
    }

    /** The record, once every entry is added. */
    async end(): Promise<WrittenRecord> {
        this.gzip.end();
        await this.ended;
        return { ref: { digest: this.hash.digest("hex"), files: this.files, bytes: this.bytes }, body: Buffer.concat(this.parts) };
    }
}
