// SkyVolume's arguments as a program gives them: the one definition of their shape. The schema is
// inferred from these interfaces (their doc comments are the descriptions, `@integer` tags annotate
// properties), the type check of the arguments is derived from the schema (internal/inputShape.ts),
// and the plain spec validation reads is derived from the types (skyVolume/spec.ts). SkyCompute takes
// the same volumes and geesefs block (computeArgs.ts, which is why these live in model/). The hosts and
// the volumes decide which resources exist and are plain lists; every field of a volume and of geesefs
// is an Input (skyVolume/givenVolumes.ts).
import type * as pulumi from "@pulumi/pulumi";
import type { ShareWith, VolumeMode } from "./enums";
import type { SshHost } from "./host";
import type { StorageRef } from "./storageRef";

/** A bucket, or a prefix of one, at a path on every host. */
export interface Volume {
    /** The bucket: SkyStorage's `ref` (an output in every language), or a bucket with an endpoint and credentials. */
    storage: pulumi.Input<StorageRef>;
    /** Where the volume appears on each host: an absolute path, not a system directory. Must be known at preview: it names the volume's commands. */
    mount: pulumi.Input<string>;
    /** A key prefix inside the bucket to present instead of the whole bucket. Optional. */
    prefix?: pulumi.Input<string>;
    /** Whether writes are refused (EROFS). Optional. Defaults to true. */
    readOnly?: pulumi.Input<boolean>;
    /** MOUNT (stream through geesefs), COPY or MOUNT_CACHED. Optional. Defaults to "MOUNT". */
    mode?: pulumi.Input<VolumeMode>;
}

/** How geesefs is installed and run. */
export interface Geesefs {
    /** The URL of the geesefs linux-amd64 binary (v0.43.8 is what skymount is tested with). */
    url: pulumi.Input<string>;
    /** The binary's sha256; a download that does not match is not installed. */
    sha256: pulumi.Input<string>;
    /** Data cache in MB per mount. Optional. Defaults to geesefs's 1000. @integer */
    memoryLimitMb?: pulumi.Input<number>;
    /** Seconds file metadata is cached. Optional. Defaults to 60 for read-only mounts and 1 for read-write ones. @integer */
    statCacheTtlSeconds?: pulumi.Input<number>;
    /**
     * Who besides the files' owner (uid, by default the SSH login user) and root may use the volumes:
     * "group" lets the members of the files' group (gid) read and, on a writable volume, write, as
     * the owner does; "everyone" lets every local account of the host do so. The kernel enforces it
     * (each file's owner and mode, checked with default_permissions). Optional. Defaults to nobody:
     * directories 0700, files 0600, so other accounts can neither list, read nor write a volume.
     */
    shareWith?: pulumi.Input<ShareWith>;
    /**
     * Writable mounts: close() waits until the file is in the bucket, so nothing written is lost when
     * a job ends and its VM goes. Slow for many small files. Optional. Defaults to true.
     */
    fsyncOnClose?: pulumi.Input<boolean>;
    /** MOUNT_CACHED: the disk cache's size in MB, enforced by a file system of that size. Optional. Defaults to 10240. @integer */
    cacheSizeMb?: pulumi.Input<number>;
    /** Owner of every file and directory. Optional. Defaults to the SSH login user's uid (root stays root). @integer */
    uid?: pulumi.Input<number>;
    /** Group of every file and directory. Optional. Defaults to the SSH login user's gid (root stays root). @integer */
    gid?: pulumi.Input<number>;
}

export interface SkyVolumeArgs {
    /** The hosts to mount on. */
    hosts: SshHost[];
    /** The volumes every host gets. */
    volumes: Volume[];
    /** geesefs installation and tuning: which binary every host installs. */
    geesefs: Geesefs;
    /** An apt source line written on hosts before fuse3 is installed, for hosts without Debian mirrors. Optional. */
    aptSource?: pulumi.Input<string>;
}
