// What SkyComputeArgs' docs promise for a field left out, per cloud provider, side by side. Each
// driver's plan reads its row; nothing else knows a default. (AWS's default image is not a constant:
// computeDrivers/aws.ts looks up Canonical's current Ubuntu 24.04 AMI in the region.)

/** Anyone may try: logins are key-only. */
export const ANY_IPV4 = "0.0.0.0/0";

export const AWS_DEFAULTS = {
    nodes: 1,
    instanceType: "t3.medium",
    sshCidr: ANY_IPV4,
    sshUser: "ubuntu",
} as const;

export const GCP_DEFAULTS = {
    nodes: 1,
    zone: "us-central1-a",
    machineType: "e2-standard-4",
    image: "ubuntu-os-cloud/ubuntu-2404-lts-amd64",
    sshCidr: ANY_IPV4,
    sshUser: "ubuntu",
} as const;

export const AZURE_DEFAULTS = {
    nodes: 1,
    location: "eastus",
    vmSize: "Standard_D4s_v5",
    image: "Canonical:ubuntu-24_04-lts:server:latest",
    sshCidr: ANY_IPV4,
    sshUser: "azureuser",
    vnetCidr: "10.42.0.0/16",
} as const;
