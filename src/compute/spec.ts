// Plain view of SkyCompute's arguments for validation and planning.

export const COMPUTE_PROVIDERS = ["aws", "gcp", "azure", "ssh"] as const;
export type ComputeProvider = (typeof COMPUTE_PROVIDERS)[number];

export interface SkyComputeSpec {
    provider: string;
    nodes?: number;
    /** Names of the existing hosts, for provider ssh. */
    sshHosts?: string[];
    workdir?: string;
    setup?: string;
    run?: string;
    blocks: string[];
    /** Whether an SSH key pair was given (cloud providers need one to reach their VMs). */
    hasSshKeys?: boolean;
    /** Volumes without keys of their own: the machines' identity must reach them. */
    keylessVolumes?: Array<{ index: number; store?: string; endpoint: string }>;
    sshCidr?: string;
    /** The image as given (provider azure expects a "publisher:offer:sku:version" URN). */
    image?: string;
    /** Azure: the VMs' network. */
    vnetCidr?: string;
}
