// The one interface every compute provider implements. A driver checks the arguments that are its
// own (`validate`), resolves them into a plan with every default settled (`plan`), and declares the
// machines and their identities (`declare`), handing back one `Machines` shape whatever the provider.
// `validate` and `plan` are pure (a MachinePlanner, see planners.ts); `declare` makes resources.
import type * as pulumi from "@pulumi/pulumi";
import { Issue } from "../internal/issues";
import type { AwsCompute, AzureCompute, GcpCompute, SkyComputeArgs } from "../model/computeArgs";
import { SshHost } from "../model/host";
import type { Known } from "../model/known";
import { CredentialValues } from "../model/storageRef";

/** The bucket side of one of SkyCompute's volumes: what a machine identity may be granted. */
export interface MachineVolumeSpec {
    /** The store family (StorageRef.store). */
    store?: string;
    bucket: string;
    endpoint: string;
    prefix?: string;
    /** As given; volumes are read-only unless they say otherwise. */
    readOnly?: boolean;
    /** Whether the volume brings keys of its own; without them the machines' identity must reach it. */
    hasCredentials: boolean;
    /** Azure: the container's resource ID, where the machines' managed identity gets a data role. */
    azureScope?: pulumi.Input<string>;
}

/**
 * What a driver sees of SkyCompute's arguments, derived from them (model/computeArgs.ts): the machine
 * fields as given, and the provider's block flattened in (only the provider's own block may be set, so
 * its fields are the driver's). It differs on purpose where a driver needs less: the provider as any
 * string (validation says which it must be), the key pair only as given or not, each volume's bucket
 * side only, and whether grants wait on values unknown at preview.
 */
export type MachineSpec = Known<Pick<SkyComputeArgs, "nodes" | "instanceType" | "image" | "region" | "zone">> &
    Known<AwsCompute & GcpCompute & AzureCompute> & {
        provider: string;
        /** The existing hosts, for provider ssh. */
        hosts?: SshHost[];
        /** Whether an SSH key pair was given (cloud providers need one to reach their VMs). */
        hasSshKeys?: boolean;
        /** Every volume's bucket side, in order: what the machines' identity must reach and is granted. */
        volumes?: MachineVolumeSpec[];
        /** At preview: a volume the machines reach through their identity has a bucket, prefix or access
         *  not known yet (left out of `volumes`' grants): a grant document that lists them is unknown there. */
        grantsPending?: boolean;
    };

/** The key pair skymount reaches new VMs with; the private key is already secret. */
export interface SshKeyPair {
    publicKey: pulumi.Input<string>;
    privateKey: pulumi.Input<string>;
}

/** What every driver declares, in one shape: the machines as hosts, and what they are made of. */
export interface Machines {
    /** The machines as SSH hosts (named "node-<i>" for new VMs): what SkyVolume and the node's jobs run on. */
    hosts: SshHost[];
    /** The resources that are the machines (instances, VMs); none for existing hosts. */
    resources: pulumi.Resource[];
    /** Each machine's address, in the order of `hosts`. */
    addresses: pulumi.Output<string[]>;
    /** Each machine's SSH login user, in the order of `hosts`. */
    sshUsers: pulumi.Output<string[]>;
    /**
     * Keys of the machines' own identity for volumes without keys (GCP's HMAC key: geesefs reaches GCS
     * through its S3 API). Absent where the identity reaches the buckets by itself (an EC2 role).
     */
    keylessCredentials?: pulumi.Output<CredentialValues>;
}

/** The pure half of a driver: its own rules and its plan, testable without Pulumi. */
export interface MachinePlanner<Plan> {
    /** Issues with the arguments this provider reads ("field: value: rule"); the spec names this provider. */
    validate(spec: MachineSpec): Issue[];
    /** The plan of a validated spec, every default resolved. */
    plan(spec: MachineSpec): Plan;
}

export interface ComputeDriver<Plan> extends MachinePlanner<Plan> {
    /** Declares the machines under `parent`, naming every resource after `name`. */
    declare(name: string, plan: Plan, keys: SshKeyPair | undefined, parent: pulumi.Resource): Machines;
}
