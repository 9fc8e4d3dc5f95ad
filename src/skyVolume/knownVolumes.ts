// Volumes at the edge: SkyVolume and SkyCompute take a volume's fields (its storage ref, mount path,
// prefix, mode) as Inputs, so another language can pass SkyStorage's `ref` output as it is. What
// decides the plan (which mounts each host gets, their names and scripts) is made plain here: at once
// when the program gave it plainly, else once its Outputs settle. What goes to the hosts unchanged
// (credentials, the fillers the mount waits for, the Azure scope) stays an Input, taken from what the
// program gave, so its secrecy and its dependencies (the syncs that fill the bucket) are kept.
import * as pulumi from "@pulumi/pulumi";
import { Issue } from "../internal/issues";
import { throwIfIssues } from "../internal/inputError";
import { holdsPending, NOT_KNOWN, notKnownIssues, settle } from "../internal/settle";
import { Store, VolumeMode } from "../model/enums";
import { StorageCredentials, StorageRef } from "../model/storageRef";
import { StorageSpec, VolumeSpec } from "./spec";

/** A volume as given: its storage ref whole or field by field, and every field, may be an Input. */
export interface GivenVolume {
    storage: pulumi.Input<StorageRef>;
    mount: pulumi.Input<string>;
    prefix?: pulumi.Input<string>;
    readOnly?: pulumi.Input<boolean>;
    mode?: pulumi.Input<VolumeMode>;
}

/** A volume whose deciding fields are plain (`spec`), with what goes to the hosts as given. */
export interface KnownVolume {
    spec: VolumeSpec;
    /** The bucket's keys, as given. */
    credentials?: pulumi.Input<StorageCredentials>;
    /** URNs of what fills the bucket; an Output that carries the storage's dependencies when the ref was one. */
    filledBy?: pulumi.Input<string[]>;
    /** Azure: the container's resource ID, as given. */
    azureScope?: pulumi.Input<string>;
}

const STORAGE_FIELDS = ["store", "bucket", "endpoint", "region", "pathStyle", "readOnly"] as const;

/** A storage ref's fields, lifted from the Output when the whole ref is one (each known on its own). */
function storageFields(storage: pulumi.Input<StorageRef>): Record<keyof StorageRef, unknown> {
    if (!pulumi.Output.isInstance(storage) && !(storage instanceof Promise)) {
        const fields = (storage ?? {}) as Record<keyof StorageRef, unknown>;
        // `filledBy: ${data.ref.filledBy}` is secret when the ref it came from is (see below).
        return pulumi.Output.isInstance(fields.filledBy)
            ? { ...fields, filledBy: pulumi.unsecret(fields.filledBy as pulumi.Output<string[] | undefined>) }
            : fields;
    }
    const lifted = pulumi.output(storage) as unknown as Record<keyof StorageRef, pulumi.Output<unknown>>;
    const field = (key: keyof StorageRef) => lifted[key];
    return {
        store: field("store"),
        bucket: field("bucket"),
        endpoint: field("endpoint"),
        region: field("region"),
        pathStyle: field("pathStyle"),
        readOnly: field("readOnly"),
        credentials: field("credentials"),
        // Only an ordering: never secret, even when the ref as a whole is (another language's SDK marks
        // a struct secret when any field is), so the scripts that wait for it stay readable.
        filledBy: pulumi.unsecret(field("filledBy") as pulumi.Output<string[] | undefined>),
        azureScope: field("azureScope"),
    };
}

/** The deciding fields of one volume, as given (Inputs) or settled (plain, NOT_KNOWN where unknown). */
function decidingOf(v: GivenVolume, storage: Record<keyof StorageRef, unknown>) {
    return {
        storage: Object.fromEntries(STORAGE_FIELDS.map((key) => [key, storage[key]])),
        mount: v.mount,
        prefix: v.prefix,
        readOnly: v.readOnly,
        mode: v.mode,
    };
}

type Deciding = ReturnType<typeof decidingOf>;

/** Whether the ref brings keys and an Azure scope (each decides resources: a key file, a role assignment). */
interface Presence {
    credentials: boolean;
    azureScope: boolean;
}

function known(deciding: Deciding, has: Presence, storage: Record<keyof StorageRef, unknown>): KnownVolume {
    const s = deciding.storage as Record<(typeof STORAGE_FIELDS)[number], unknown>;
    const spec: StorageSpec = {
        store: s.store as string | undefined,
        bucket: s.bucket as string,
        endpoint: s.endpoint as string,
        region: s.region as string | undefined,
        pathStyle: s.pathStyle as boolean | undefined,
        hasCredentials: has.credentials,
        credentialsReadOnly: s.readOnly as boolean | undefined,
    };
    return {
        spec: {
            storage: spec,
            mount: deciding.mount as string,
            prefix: deciding.prefix as string | undefined,
            readOnly: deciding.readOnly as boolean | undefined,
            mode: deciding.mode as string | undefined,
        },
        // A field of a ref given as an Output is an Output even where its value is absent: kept only when present.
        credentials: has.credentials ? (storage.credentials as pulumi.Input<StorageCredentials>) : undefined,
        filledBy: storage.filledBy as pulumi.Input<string[]> | undefined,
        azureScope: has.azureScope ? (storage.azureScope as pulumi.Input<string>) : undefined,
    };
}

/** What a volume's deciding fields decide: said in the message when one is unknown at preview. */
const DECIDES = "which mounts each host gets and what they run; give a value known before the preview";

/**
 * The volumes with their deciding fields plain: synchronously when the program gave them plainly,
 * else a Promise that settles them. A field unknown at preview rejects it with one issue per field
 * (`volumes[0].storage.bucket: (unknown at preview): must be known at preview: ...`).
 */
export function knownVolumes(component: string, volumes: GivenVolume[], at = "volumes"): KnownVolume[] | Promise<KnownVolume[]> {
    const given = volumes.map((v) => {
        const storage = storageFields(v?.storage);
        return { deciding: decidingOf(v ?? ({} as GivenVolume), storage), storage };
    });
    if (!given.some((g) => holdsPending(g.deciding))) {
        return given.map((g) =>
            known(
                g.deciding,
                { credentials: g.storage.credentials !== undefined, azureScope: g.storage.azureScope !== undefined },
                g.storage,
            ),
        );
    }
    return Promise.all(
        given.map(async (g) => ({
            ...g,
            deciding: (await settle(g.deciding)) as Deciding,
            // Unknown keys (NOT_KNOWN at preview) are keys all the same.
            has: {
                credentials: (await settle(g.storage.credentials)) !== undefined,
                azureScope: (await settle(g.storage.azureScope)) !== undefined,
            },
        })),
    ).then((settled) => {
        const issues: Issue[] = settled.flatMap((g, i) => {
            // A ref unknown as a whole is one issue, not one per field.
            const whole = Object.values(g.deciding.storage).every((value) => value === NOT_KNOWN);
            return notKnownIssues(whole ? { ...g.deciding, storage: NOT_KNOWN } : g.deciding, `${at}[${i}]`, DECIDES);
        });
        throwIfIssues(component, issues);
        return settled.map((g) => known(g.deciding, g.has, g.storage));
    });
}

/** A known volume given again, plainly where it is known (what SkyCompute hands its SkyVolume). */
export function givenVolumeOf(v: KnownVolume): GivenVolume {
    const s = v.spec.storage;
    return {
        storage: {
            store: s.store as Store | undefined,
            bucket: s.bucket,
            endpoint: s.endpoint,
            region: s.region,
            pathStyle: s.pathStyle,
            readOnly: s.credentialsReadOnly,
            credentials: v.credentials,
            filledBy: v.filledBy,
            azureScope: v.azureScope,
        },
        mount: v.spec.mount,
        prefix: v.spec.prefix,
        readOnly: v.spec.readOnly,
        mode: v.spec.mode as VolumeMode | undefined,
    };
}
