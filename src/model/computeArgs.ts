// SkyCompute's arguments as a program gives them: the one definition of their shape. The schema is
// inferred from these interfaces (doc comments, `@secret` and `@integer` tags), the type check of the
// arguments is derived from the schema (internal/inputShape.ts), and the plain views are derived from
// the types: the driver's (computeDrivers/driver.ts, which is why these live in model/) and
// SkyCompute's own (skyCompute/spec.ts). What decides which resources exist (the provider, how many
// nodes, the ssh hosts, the workdir) is plain; the rest are Inputs: known at preview they are
// validated there, unknown they go on to the resources and scripts that use them
// (skyCompute/givenArgs.ts).
import type * as pulumi from "@pulumi/pulumi";
import type { ComputeProvider } from "./enums";
import type { SshHost } from "./host";
import type { Geesefs, Volume } from "./volumeArgs";

/** Existing hosts, reached over SSH. */
export interface SshCompute {
    /** The hosts: each node is one of them. */
    hosts: SshHost[];
}

/** GCP options. */
export interface GcpCompute {
    /** The project. Optional. Defaults to the provider's project. */
    project?: pulumi.Input<string>;
    /** Who may reach the VMs over SSH. Optional. Defaults to "0.0.0.0/0" (key-only logins). */
    sshCidr?: pulumi.Input<string>;
    /** The login user the key is installed for. Optional. Defaults to "ubuntu". */
    sshUser?: pulumi.Input<string>;
}

/** AWS options. */
export interface AwsCompute {
    /** Who may reach the VMs over SSH. Optional. Defaults to "0.0.0.0/0" (key-only logins). */
    sshCidr?: pulumi.Input<string>;
    /** The login user of the image. Optional. Defaults to "ubuntu". */
    sshUser?: pulumi.Input<string>;
}

/** Azure options. */
export interface AzureCompute {
    /** An existing resource group for the VMs. Optional. Defaults to a new resource group. */
    resourceGroupName?: pulumi.Input<string>;
    /** Who may reach the VMs over SSH. Optional. Defaults to "0.0.0.0/0" (key-only logins). */
    sshCidr?: pulumi.Input<string>;
    /** The admin user the key is installed for. Optional. Defaults to "azureuser". */
    sshUser?: pulumi.Input<string>;
    /** The VMs' virtual network (their subnet is its first /24). Optional. Defaults to "10.42.0.0/16". */
    vnetCidr?: pulumi.Input<string>;
}

export interface SkyComputeArgs {
    /** aws, gcp, azure (new VMs) or ssh (existing hosts). Must be known at preview. */
    provider: pulumi.Input<ComputeProvider>;
    /** How many machines. Optional. Defaults to 1, or for ssh the number of hosts. Must be known at preview. @integer */
    nodes?: pulumi.Input<number>;
    /** The VM size. Optional. Defaults to "t3.medium" on AWS, "e2-standard-4" on GCP, "Standard_D4s_v5" on Azure. */
    instanceType?: pulumi.Input<string>;
    /** The VM image (an AMI ID on AWS, an image path on GCP, a "publisher:offer:sku:version" URN on Azure). Optional. Defaults to Ubuntu 24.04 LTS. */
    image?: pulumi.Input<string>;
    /** The region (AWS; the location on Azure). Optional. Defaults to the AWS provider's region, "eastus" on Azure. */
    region?: pulumi.Input<string>;
    /** The zone (GCP). Optional. Defaults to "us-central1-a". */
    zone?: pulumi.Input<string>;
    /** The public key installed on new VMs. Required for cloud providers. */
    sshPublicKey?: pulumi.Input<string>;
    /** The matching private key skymount connects with. Kept secret. Required for cloud providers. @secret */
    sshPrivateKey?: pulumi.Input<string>;
    /** The volumes every node gets (see SkyVolume). Optional. */
    volumes?: Volume[];
    /** A local directory unpacked at /root/sky_workdir on every node (ignore rules as for sources); a relative path is resolved against the Pulumi program's directory. Optional. Must be known at preview. */
    workdir?: pulumi.Input<string>;
    /** Commands run in the workdir on every node; `pulumi up` waits for them. Rerun when they or the workdir change. Optional. */
    setup?: pulumi.Input<string>;
    /** Commands started detached in the workdir on every node, logging to /var/log/skymount/run.log. Optional. */
    run?: pulumi.Input<string>;
    /** geesefs installation and tuning for the volumes. */
    geesefs?: Geesefs;
    /** An apt source line for hosts without Debian mirrors. Optional. */
    aptSource?: pulumi.Input<string>;
    /** The existing hosts (provider ssh). */
    ssh?: SshCompute;
    /** AWS options (provider aws). Optional. */
    aws?: pulumi.Input<AwsCompute>;
    /** GCP options (provider gcp). Optional. */
    gcp?: pulumi.Input<GcpCompute>;
    /** Azure options (provider azure). Optional. */
    azure?: pulumi.Input<AzureCompute>;
}

/** The arguments with each cloud's options block a plain object (givenArgs.ts lifts one given as an Output). */
export type GivenComputeArgs = Omit<SkyComputeArgs, "aws" | "gcp" | "azure"> & { aws?: AwsCompute; gcp?: GcpCompute; azure?: AzureCompute };
