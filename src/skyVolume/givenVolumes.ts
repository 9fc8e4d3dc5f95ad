// Volumes at the edge: SkyVolume and SkyCompute take every field of a volume (its storage ref whole or
// field by field, its prefix, mode, read-only flag) as an Input, so a bucket another resource makes in
// the same `up` (an auto-named bucket, SkyStorage's `ref` from another language) mounts on the first
// `up`. Only the mount path decides which resources exist (each volume's commands on a host are named
// by it), so only it must be known at preview. The rest is read twice: settled at preview, where the
// rules that read a known value run and an unknown one is NOT_KNOWN (settledVolumes); and as one
// Output per volume (volumeSpecOutput), from which the scripts are built once every value is known,
// and where every rule runs again. What goes to the hosts unchanged (credentials, the fillers a mount
// waits for, the Azure scope) stays an Input, so its secrecy and its dependencies are kept.
import * as pulumi from "@pulumi/pulumi";
import { typeFields } from "../internal/committedSchema";
import { Issue } from "../internal/issues";
import { notKnownIssues } from "../internal/notKnown";
import { holdsPending, settle } from "../internal/settle";
import { StorageCredentials, StorageRef } from "../model/storageRef";
import type { Volume } from "../model/volumeArgs";
import { VolumeSpec } from "./spec";

/** A volume's fields as Inputs, the ref lifted field by field; what goes to the hosts as given. */
export interface VolumeInputs {
    /** The storage ref, field by field (each an Input). */
    ref: Record<keyof StorageRef, unknown>;
    /** Shaped as VolumeSpec, each field an Input. */
    fields: Record<string, unknown>;
    /** The bucket's keys, as given; absent when the volume brings none. */
    credentials?: pulumi.Input<StorageCredentials>;
    /** URNs of what fills the bucket: an Output that carries the storage's dependencies when the ref was one. */
    filledBy?: pulumi.Input<string[]>;
    /** Azure: the container's resource ID, as given. */
    azureScope?: pulumi.Input<string>;
}

/** A volume settled at preview: `spec` holds NOT_KNOWN (internal/settle.ts) where a value is not known yet. */
export interface SettledVolume extends VolumeInputs {
    spec: VolumeSpec;
}

/** A storage ref's fields, lifted from the Output when the whole ref is one (each known on its own). */
function storageFields(storage: pulumi.Input<StorageRef>): Record<keyof StorageRef, unknown> {
    if (!pulumi.Output.isInstance(storage) && !(storage instanceof Promise)) return (storage ?? {}) as Record<keyof StorageRef, unknown>;
    const lifted = pulumi.output(storage) as unknown as Record<keyof StorageRef, pulumi.Output<unknown>>;
    return Object.fromEntries(typeFields<StorageRef>("StorageRef").map((field) => [field, lifted[field]])) as Record<
        keyof StorageRef,
        unknown
    >;
}

/** Whether a field of the ref is there: a field of a ref given as an Output is an Output even where
 *  its value is absent, so it is settled; an unknown one (NOT_KNOWN at preview) counts as there. */
function presence(value: unknown, lifted: boolean): boolean | Promise<boolean> {
    return lifted ? settle(value).then((v) => v !== undefined) : value !== undefined;
}

/**
 * Each volume's fields as Inputs. `filledBy` is only an ordering: never secret, even when the ref as a
 * whole is (another language's SDK marks a struct secret when any field is), so the scripts that wait
 * for it stay readable. The same goes for the fields the scripts are built from (volumeSpecOutput).
 */
export function volumeInputs(volumes: Volume[]): VolumeInputs[] {
    return volumes.map((given) => {
        const v = given ?? ({} as Volume);
        const lifted = pulumi.Output.isInstance(v.storage) || v.storage instanceof Promise;
        const s = storageFields(v.storage);
        const hasCredentials = presence(s.credentials, lifted);
        const filledBy = pulumi.Output.isInstance(s.filledBy)
            ? pulumi.unsecret(s.filledBy as pulumi.Output<string[]>)
            : (s.filledBy as string[]);
        return {
            ref: { ...s, filledBy },
            fields: {
                storage: {
                    store: s.store,
                    bucket: s.bucket,
                    endpoint: s.endpoint,
                    region: s.region,
                    pathStyle: s.pathStyle,
                    hasCredentials,
                    credentialsReadOnly: s.readOnly,
                },
                mount: v.mount,
                prefix: v.prefix,
                readOnly: v.readOnly,
                mode: v.mode,
            },
            credentials: s.credentials as pulumi.Input<StorageCredentials> | undefined,
            filledBy,
            azureScope: s.azureScope as pulumi.Input<string> | undefined,
        };
    });
}

/** One volume's spec as an Output: unknown at preview while any of its values is. */
export function volumeSpecOutput(volume: VolumeInputs): pulumi.Output<VolumeSpec> {
    return pulumi.unsecret(pulumi.output(volume.fields)) as unknown as pulumi.Output<VolumeSpec>;
}

/** What a volume's mount path decides: said in the message when it is unknown at preview. */
const MOUNT_DECIDES = "the names of the volume's commands on each host; give a path known before the preview";

/**
 * The volumes settled for the rules that run at preview: synchronously when the program gave every
 * value plainly, else a Promise (at `up`, it waits for every value). A mount path unknown at preview
 * is refused (`volumes[0].mount: (unknown at preview): must be known at preview: it decides ...`); any
 * other unknown value is NOT_KNOWN in `spec`, and its rules run at apply.
 */
export function settledVolumes(volumes: VolumeInputs[]): SettledVolume[] | Promise<SettledVolume[]> {
    // The keys go on exactly where the spec says there are keys (unknown ones count).
    const settledOf = (v: VolumeInputs, fields: unknown, hasAzureScope: boolean): SettledVolume => {
        const spec = fields as VolumeSpec;
        return {
            ...v,
            spec,
            credentials: spec.storage.hasCredentials !== false ? v.credentials : undefined,
            azureScope: hasAzureScope ? v.azureScope : undefined,
        };
    };
    if (!volumes.some((v) => holdsPending(v.fields))) return volumes.map((v) => settledOf(v, v.fields, v.azureScope !== undefined));
    return Promise.all(volumes.map(async (v) => settledOf(v, await settle(v.fields), (await settle(v.azureScope)) !== undefined)));
}

/** The refusal of every mount path that is not known at preview. */
export function unknownMountIssues(volumes: SettledVolume[], at = "volumes"): Issue[] {
    return volumes.flatMap((v, i) => notKnownIssues(v.spec.mount, `${at}[${i}].mount`, MOUNT_DECIDES));
}
