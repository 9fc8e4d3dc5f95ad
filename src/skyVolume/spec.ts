// Plain descriptions of what a SkyVolume was asked for, as validation and planning see them, derived
// from the args interfaces (args.ts): no Pulumi types, no secrets. Where the spec differs on purpose it
// says so: a ref's credentials are reduced to whether they exist and what they allow, what goes to the
// hosts as given (the fillers a mount waits for, the Azure scope) is left out, a host's connection is
// what remote/hostRules.ts checks, and geesefs's required fields are optional here, because a missing
// one is a rule with its own message.
import { ShareWith, VolumeMode } from "../model/enums";
import type { Known } from "../model/known";
import type { StorageRef } from "../model/storageRef";
import type { SshHostSpec } from "../remote/hostRules";
import type { Geesefs, SkyVolumeArgs, Volume } from "../model/volumeArgs";

export { VolumeMode };
export const VOLUME_MODES: readonly VolumeMode[] = Object.values(VolumeMode);
export const SHARE_WITH: readonly ShareWith[] = Object.values(ShareWith);

/** The bucket side of a volume: where it lives and what its credentials may do. */
export type StorageSpec = Known<Omit<StorageRef, "credentials" | "readOnly" | "filledBy" | "azureScope">> & {
    /** Whether static keys come with the storage; without them geesefs uses the machine's identity. */
    hasCredentials: boolean;
    /** Whether those keys (or the identity) may only read (the ref's `readOnly`). */
    credentialsReadOnly?: boolean;
};

export type VolumeSpec = Known<Omit<Volume, "storage">> & { storage: StorageSpec };

/** A host: its name, and its connection's fields where they are known at preview (remote/hostRules.ts). */
export interface HostSpec extends SshHostSpec {
    name: string;
}

export type GeesefsSpec = Partial<Known<Geesefs>>;

export type SkyVolumeSpec = Known<Pick<SkyVolumeArgs, "aptSource">> & {
    hosts: HostSpec[];
    volumes: VolumeSpec[];
    geesefs?: GeesefsSpec;
};
