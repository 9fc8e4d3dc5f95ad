// Whether an object in the bucket holds a given local file, from a listing alone (no request per
// object): the size, then the content digest the store lists. S3 lists an ETag that is the MD5 of
// a single-part upload and "<MD5 of the parts' MD5s>-<parts>" of a multipart one (skymount's part
// size is fixed, so both can be computed locally); Azure lists the Content-MD5 that Put Blob
// records. Any other ETag (SSE-KMS, a store's own format, an Azure blob committed from blocks) says
// nothing about the content: the answer is then "unknown", which a resume treats as "upload it
// again" and a refresh as "the size decides". One read of the file gives the MD5s and the SHA-256
// fingerprint together.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { PART_SIZE_BYTES } from "../../internal/limits";
import { fileFingerprint } from "../core/fingerprint";
import type { StoredObject } from "../core/storeInterfaces";

export type Match = "same" | "different" | "unknown";

export interface LocalDigest {
    /** The manifest's "<size>:<hash>" of the file as it is now. */
    fingerprint: string;
    /** MD5 of the whole file, hex. */
    md5Hex: string;
    /** The ETag S3 gives a multipart upload of this file in PART_SIZE_BYTES parts. */
    multipartEtag: string;
}

/** One pass over the file: SHA-256 (for the fingerprint), MD5, and an MD5 per upload part. */
export function digestFile(file: string, partBytes = PART_SIZE_BYTES): Promise<LocalDigest> {
    return new Promise((resolve, reject) => {
        const sha = createHash("sha256");
        const md5 = createHash("md5");
        const partMd5s: Buffer[] = [];
        let part = createHash("md5");
        let inPart = 0;
        let size = 0;
        createReadStream(file)
            .on("data", (data) => {
                const chunk = data as Buffer;
                sha.update(chunk);
                md5.update(chunk);
                size += chunk.length;
                for (let offset = 0; offset < chunk.length;) {
                    const take = Math.min(chunk.length - offset, partBytes - inPart);
                    part.update(chunk.subarray(offset, offset + take));
                    offset += take;
                    inPart += take;
                    if (inPart === partBytes) {
                        partMd5s.push(part.digest());
                        part = createHash("md5");
                        inPart = 0;
                    }
                }
            })
            .on("end", () => {
                if (inPart > 0 || partMd5s.length === 0) partMd5s.push(part.digest());
                const multipartMd5 = createHash("md5").update(Buffer.concat(partMd5s)).digest("hex");
                resolve({
                    fingerprint: fileFingerprint(size, sha.digest("hex")),
                    md5Hex: md5.digest("hex"),
                    multipartEtag: `${multipartMd5}-${partMd5s.length}`,
                });
            })
            .on("error", reject);
    });
}

const MD5_ETAG = /^[0-9a-f]{32}$/;
const MULTIPART_ETAG = /^[0-9a-f]{32}-\d+$/;

/** Whether the listing's digest can speak for the content at all (without reading the file). */
export function hasContentDigest(stored: StoredObject): boolean {
    return stored.contentMd5 !== undefined || MD5_ETAG.test(stored.etag) || MULTIPART_ETAG.test(stored.etag);
}

/** Compares a listed object with a local file's digest. Pure. */
export function compareStored(stored: StoredObject, size: number, digest: LocalDigest): Match {
    if (stored.size !== size) return "different";
    if (stored.contentMd5 !== undefined) {
        return Buffer.from(stored.contentMd5, "base64").toString("hex") === digest.md5Hex ? "same" : "different";
    }
    if (MD5_ETAG.test(stored.etag)) return stored.etag === digest.md5Hex ? "same" : "different";
    if (MULTIPART_ETAG.test(stored.etag)) return stored.etag === digest.multipartEtag ? "same" : "different";
    return "unknown";
}
