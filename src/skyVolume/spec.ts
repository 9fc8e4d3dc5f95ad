// Plain descriptions of what a SkyVolume was asked for, as validation and planning see them: no
// Pulumi types, no secrets (credentials are reduced to whether they exist and what they allow).
import { ShareWith, VolumeMode } from "../model/enums";
import type { SshHostSpec } from "../remote/hostRules";

export { VolumeMode };
export const VOLUME_MODES: readonly VolumeMode[] = Object.values(VolumeMode);
export const SHARE_WITH: readonly ShareWith[] = Object.values(ShareWith);

/** The bucket side of a volume: where it lives and what its credentials may do. */
export interface StorageSpec {
    /** The store family (StorageRef.store, src/storeFamilies/registry.ts): it decides how geesefs mounts the bucket. */
    store?: string;
    bucket: string;
    /** The S3 API endpoint, with scheme: "https://s3.us-east-1.amazonaws.com", "http://10.0.0.1:9000". */
    endpoint: string;
    region?: string;
    /** Path-style addressing (endpoint/bucket) rather than virtual-host style (bucket.endpoint). */
    pathStyle?: boolean;
    /** Whether static keys come with the storage; without them geesefs uses the machine's identity. */
    hasCredentials: boolean;
    /** Whether those keys (or the identity) may only read. */
    credentialsReadOnly?: boolean;
}

export interface VolumeSpec {
    storage: StorageSpec;
    mount: string;
    prefix?: string;
    readOnly?: boolean;
    mode?: string;
}

/** A host: its name, and its connection's fields where they are known at preview (remote/hostRules.ts). */
export interface HostSpec extends SshHostSpec {
    name: string;
}

export interface GeesefsSpec {
    url?: string;
    sha256?: string;
    memoryLimitMb?: number;
    statCacheTtlSeconds?: number;
    shareWith?: string;
    fsyncOnClose?: boolean;
    cacheSizeMb?: number;
    uid?: number;
    gid?: number;
}

export interface SkyVolumeSpec {
    hosts: HostSpec[];
    volumes: VolumeSpec[];
    geesefs?: GeesefsSpec;
    /** An apt source line written on hosts before installing fuse3 (for hosts without Debian mirrors). */
    aptSource?: string;
}
