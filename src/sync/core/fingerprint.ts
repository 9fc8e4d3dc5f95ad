// What a sync records per file: "<size>:<hash>", the hash being the first 128 bits of the file's
// SHA-256 in base64url (22 characters). The whole manifest crosses Pulumi several times per
// preview (the program's inputs, Check, Diff, the CLI's own logs of each, which it compresses) and
// lives twice in state, so its size is what a no-op preview of a big tree pays for: this form is
// half the size of "<size>:<sha256 hex>". 128 bits is ample to tell a changed file from an
// unchanged one. A scan's workers make the same string in their own source (scan/treeWork.ts). Pure.

const HASH_BYTES = 16;

/** The fingerprint of a file of `size` bytes whose SHA-256 is `sha256Hex`. */
export function fileFingerprint(size: number, sha256Hex: string): string {
    return `${size}:${Buffer.from(sha256Hex.slice(0, HASH_BYTES * 2), "hex").toString("base64url")}`;
}

/** The size a fingerprint records. */
export function sizeOfFingerprint(fingerprint: string): number {
    return Number(fingerprint.slice(0, fingerprint.indexOf(":")));
}
