// The AWS driver's rules and plan: EC2 instances whose role reaches exactly the keyless volumes'
// buckets and prefixes. Pure.
import { BucketGrant, mergeGrants } from "../model/grant";
import { keylessVolumes, validateCloudMachines } from "./cloudRules";
import { AWS_DEFAULTS } from "./defaults";
import { MachinePlanner } from "./driver";

export interface AwsMachinePlan {
    nodes: number;
    /** Undefined: the AWS provider's region. */
    region?: string;
    instanceType: string;
    /** An AMI ID; undefined: Canonical's current Ubuntu 24.04 LTS, looked up in the region. */
    image?: string;
    sshCidr: string;
    sshUser: string;
    /** What the instance role grants: the keyless volumes' buckets and prefixes, one grant per bucket and prefix. */
    grants: BucketGrant[];
    /** At preview: some of those are not known yet, so the role's one policy is declared with its document unknown. */
    grantsPending: boolean;
}

export const awsPlanner: MachinePlanner<AwsMachinePlan> = {
    validate: (spec) =>
        validateCloudMachines(spec, "aws", {
            reaches: (v) => v.store === "s3" || /\.amazonaws\.com(\/|$)/.test(v.endpoint),
            keylessRule: "required: on provider aws only S3 buckets are reached through the machines' identity",
        }),

    plan: (spec) => ({
        nodes: spec.nodes ?? AWS_DEFAULTS.nodes,
        region: spec.region,
        instanceType: spec.instanceType ?? AWS_DEFAULTS.instanceType,
        image: spec.image,
        sshCidr: spec.sshCidr ?? AWS_DEFAULTS.sshCidr,
        sshUser: spec.sshUser ?? AWS_DEFAULTS.sshUser,
        grants: mergeGrants(keylessVolumes(spec).map((v) => ({ bucket: v.bucket, prefix: v.prefix, readOnly: v.readOnly ?? true }))),
        grantsPending: spec.grantsPending ?? false,
    }),
};
