// The GCP driver's rules and plan: instances with a service account bound to the keyless volumes'
// buckets (GCS grants no per-prefix roles, so one binding per bucket). Pure.
import { BucketGrant, mergeGrants } from "../model/grant";
import { keylessVolumes, validateCloudMachines } from "./cloudRules";
import { GCP_DEFAULTS } from "./defaults";
import { MachinePlanner } from "./driver";

export interface GcpMachinePlan {
    nodes: number;
    zone: string;
    /** Undefined: the provider's project. */
    project?: string;
    machineType: string;
    image: string;
    sshCidr: string;
    sshUser: string;
    /** Buckets (GCS) the machines' service account must reach: one per bucket, read-only unless a volume there writes. */
    grants: BucketGrant[];
}

export const gcpPlanner: MachinePlanner<GcpMachinePlan> = {
    validate: (spec) =>
        validateCloudMachines(spec, "gcp", {
            reaches: (v) => v.store === "gcs" || /^https:\/\/storage\.googleapis\.com\/?$/.test(v.endpoint),
            keylessRule: "required: on provider gcp only GCS buckets are reached through the machines' identity",
        }),

    plan: (spec) => ({
        nodes: spec.nodes ?? GCP_DEFAULTS.nodes,
        zone: spec.zone ?? GCP_DEFAULTS.zone,
        project: spec.project,
        machineType: spec.instanceType ?? GCP_DEFAULTS.machineType,
        image: spec.image ?? GCP_DEFAULTS.image,
        sshCidr: spec.sshCidr ?? GCP_DEFAULTS.sshCidr,
        sshUser: spec.sshUser ?? GCP_DEFAULTS.sshUser,
        grants: mergeGrants(keylessVolumes(spec).map((v) => ({ bucket: v.bucket, readOnly: v.readOnly ?? true }))),
    }),
};
