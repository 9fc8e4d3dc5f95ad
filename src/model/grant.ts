// A bucket (or a prefix of one) a machine identity is granted, read-only or read-write: what compute
// drivers turn into IAM policies, GCS bindings and Azure role assignments.

export interface BucketGrant {
    bucket: string;
    /** Limit object access to this key prefix. Optional. */
    prefix?: string;
    readOnly: boolean;
}
