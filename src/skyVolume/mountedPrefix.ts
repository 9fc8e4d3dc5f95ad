// Which part of its bucket the FUSE mount serving a volume (MOUNT, MOUNT_CACHED) mounts: the bucket's
// root, shared by every volume on the bucket and each presented by a bind mount of its prefix's
// directory, or the volume's own prefix (`bucket:prefix/`).
//
// geesefs lists from its mount's root (it preloads a directory by listing the keys after it, geesefs
// core/dir.go listObjectsSlurp), so the root mount needs credentials that may list the whole bucket.
// Keys in a storage ref (SkyStorage's `ref`/`readOnlyRef`, `hostKeys`, HMAC keys) reach the whole
// bucket: their volumes share the root mount. A keyless volume is reached through the host's identity
// (an EC2 instance role, a GCP service account, an Azure managed identity, whatever an existing host
// has), whose grant may list only under the volume's prefix (src/model/s3AccessPolicy.ts). So keyless
// volumes of a bucket share the root mount only when one of them is the bucket's root (the identity
// then reaches all of it); otherwise each distinct prefix gets a mount of its own.
import type { VolumeSpec } from "./spec";

/** A volume's prefix without slashes at its end ("" for the bucket's root). */
export function normalizePrefix(prefix: string | undefined): string {
    return (prefix ?? "").replace(/\/+$/, "");
}

function bucketKey(volume: VolumeSpec): string {
    return `${volume.storage.endpoint}\n${volume.storage.bucket}`;
}

/** For each volume (by index), the prefix its FUSE mount mounts: "" for the bucket's root. COPY
 *  volumes are not asked (each mounts its own prefix for its copy). */
export function mountedPrefixes(volumes: VolumeSpec[]): string[] {
    const keylessRoots = new Set(
        volumes
            .filter((v) => (v.mode ?? "MOUNT") !== "COPY" && !v.storage.hasCredentials && normalizePrefix(v.prefix) === "")
            .map(bucketKey),
    );
    return volumes.map((v) => (v.storage.hasCredentials || keylessRoots.has(bucketKey(v)) ? "" : normalizePrefix(v.prefix)));
}
