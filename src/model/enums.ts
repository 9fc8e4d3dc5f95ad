// The closed sets of strings the components' arguments take. Each is written as a const object and
// the union of its values, the form Pulumi's schema inference turns into an enum (so Python, Go and
// YAML get named constants), while TypeScript programs go on passing the plain strings. Validation
// still checks every value: other languages may send any string.

/** How a volume reaches its bucket. */
export const VolumeMode = {
    /** Stream through geesefs. */
    Mount: "MOUNT",
    /** A read-only snapshot on the host's disk, copied from the bucket (or prefix) once. */
    Copy: "COPY",
    /** Stream through geesefs with a disk cache of `geesefs.cacheSizeMb`. */
    MountCached: "MOUNT_CACHED",
} as const;
export type VolumeMode = (typeof VolumeMode)[keyof typeof VolumeMode];

/** Who, besides a mount's owner and root, may use a volume's files. */
export const ShareWith = {
    /** The owner's group: its members read, and on a writable volume write, as the owner does (modes 0770/0660). */
    Group: "group",
    /** Every local account of the host reads, and on a writable volume writes, as the owner does (modes 0777/0666). */
    Everyone: "everyone",
} as const;
export type ShareWith = (typeof ShareWith)[keyof typeof ShareWith];

/** A store family: where a bucket lives and which API reaches it. */
export const Store = {
    /** Amazon S3. */
    S3: "s3",
    /** Google Cloud Storage. */
    Gcs: "gcs",
    /** Azure Blob Storage (a container). */
    Azure: "azure",
    /** Cloudflare R2. */
    R2: "r2",
    /** Any other server speaking the S3 API: MinIO, Wasabi, Backblaze B2. */
    S3Compatible: "s3compatible",
} as const;
export type Store = (typeof Store)[keyof typeof Store];

/** Where SkyCompute's machines come from. */
export const ComputeProvider = {
    /** New EC2 instances. */
    Aws: "aws",
    /** New Compute Engine instances. */
    Gcp: "gcp",
    /** New Azure virtual machines. */
    Azure: "azure",
    /** Existing hosts reached over SSH. */
    Ssh: "ssh",
} as const;
export type ComputeProvider = (typeof ComputeProvider)[keyof typeof ComputeProvider];

/** A known S3-compatible service: fills in its endpoint. */
export const S3CompatiblePreset = {
    /** Cloudflare R2 (needs `accountId`). */
    R2: "r2",
    /** Wasabi. */
    Wasabi: "wasabi",
    /** Backblaze B2. */
    B2: "b2",
    /** MinIO (self-hosted: the endpoint is required and requests are path-style). */
    Minio: "minio",
} as const;
export type S3CompatiblePreset = (typeof S3CompatiblePreset)[keyof typeof S3CompatiblePreset];
