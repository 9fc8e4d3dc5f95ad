// What the renderers render: the plain plan data SkyVolume's planner (src/skyVolume/plan.ts) makes. It
// lives here, below the planner, so that scripts/ depends on nothing above it. Everything a store
// family decides about geesefs (what to mount, its flags, where its key goes, whether it needs a
// wrapper) arrives already resolved into these fields: the renderers know no store.
import type { ShareWith } from "../model/enums";

/** Environment geesefs runs with: variables dropped, then variables set. */
export interface GeesefsEnvironment {
    unset: string[];
    set: Array<[name: string, value: string]>;
}

/** A program mount(8) runs in place of the mount helper, because fstab can set no environment:
 *  fstab names it (`<wrapper>#<source>`), it sets `environment` and execs the mount helper. COPY's
 *  temporary mount does not install it: it runs the helper under the same environment. */
export interface MountWrapperPlan {
    path: string;
    /** Said in the wrapper's first comment. */
    description: string;
    environment: GeesefsEnvironment;
}

export interface FuseMountPlan {
    /** Stable key: a hash of endpoint, bucket and prefix. Names child resources and files on the host. */
    id: string;
    /** The store family (src/storeFamilies/registry.ts) whose geesefs settings these are. */
    store: string;
    /** The API geesefs speaks to the bucket, as the family names it ("s3", "azure"). */
    api: string;
    bucket: string;
    /** What of the bucket geesefs mounts: its root (empty), or this prefix (no slashes around it). */
    prefix: string;
    endpoint: string;
    region: string;
    pathStyle: boolean;
    /** The mount point, keyed by endpoint, bucket and prefix so the same bucket name on two endpoints never collides. */
    dir: string;
    readWrite: boolean;
    cached: boolean;
    /** MOUNT_CACHED: the size of the file system that holds the disk cache. */
    cacheSizeMb: number;
    /** Index of the volume whose credentials the mount uses (a writable one when any writes). */
    credentialsFrom: number;
    hasCredentials: boolean;
    /** Where the mount's key file goes (its format is the family's). */
    credentialsFile: string;
    /** A directory of the mount's own holding the key file (and the wrapper), removed with them;
     *  absent when the key file sits directly in the credentials directory. */
    credentialsDir?: string;
    /** What geesefs is told to mount: a bucket name, or a URL (wasb://<container>). */
    source: string;
    /** The family's flags right after --endpoint (S3: --region, --list-type). */
    protocolFlags: string[];
    /** The family's flags after the log file: addressing and where the keys are (S3: --subdomain, --shared-config). */
    accessFlags: string[];
    wrapper?: MountWrapperPlan;
    logFile: string;
    statCacheTtlSeconds: number;
}

/** A COPY volume: a local read-only snapshot of (a prefix of) a bucket. */
export interface CopyVolumePlan {
    /** Stable key: a hash of endpoint, bucket, prefix and target. */
    id: string;
    /** A temporary read-only FUSE mount of the bucket the copy is read through. */
    fuse: FuseMountPlan;
    prefix: string;
    /** The local copy; presented read-only at the volume's path. */
    dir: string;
}

export interface PresentPlan {
    /** Index into the user's `volumes`. */
    volume: number;
    /** The FUSE mount (MOUNT, MOUNT_CACHED) or the copy (COPY) this volume shows. */
    mountId: string;
    fromCopy: boolean;
    /** The directory shown: the FUSE mount's (of the volume's prefix), or the copy's directory. */
    source: string;
    prefix: string;
    target: string;
    readOnly: boolean;
}

export interface InstallPlan {
    geesefsUrl: string;
    geesefsSha256: string;
    aptSource?: string;
}

export interface GeesefsOptions {
    memoryLimitMb?: number;
    /** Writable mounts: close() waits until the data is in the bucket. */
    fsyncOnClose: boolean;
    /** Owner of every file; without it, the SSH login user's (resolved on the host at mount time). */
    uid?: number;
    /** Group of every file; without it, the SSH login user's. */
    gid?: number;
    /** Who besides the owner (and root) may use the files; without it, no one. */
    shareWith?: ShareWith;
    statCacheTtlSeconds?: number;
}
