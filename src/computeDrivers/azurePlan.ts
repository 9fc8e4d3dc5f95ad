// The Azure driver's rules and plan: VMs in a network of their own, whose managed identity holds a
// Blob data role on exactly the volumes' containers, and the image URN parsed once. Pure.
import type * as pulumi from "@pulumi/pulumi";
import { formatIssue, Issue, issue } from "../internal/issues";
import { isNotKnownText } from "../internal/notKnown";
import { IPV4_CIDR, validateCloudMachines } from "./cloudRules";
import { AZURE_DEFAULTS } from "./defaults";
import { MachinePlanner, MachineSpec } from "./driver";

/** A container the machines' identity must reach. */
export interface ContainerGrant {
    /** Names the grant: the container's endpoint and name (its resource ID may be unknown at preview). */
    key: string;
    /** The container's resource ID. */
    scope: pulumi.Input<string>;
    readOnly: boolean;
}

export interface AzureImage {
    publisher: string;
    offer: string;
    sku: string;
    version: string;
}

export interface AzureMachinePlan {
    nodes: number;
    location: string;
    /** An existing resource group; when absent, one is created. */
    resourceGroupName?: string;
    vmSize: string;
    image: AzureImage;
    sshCidr: string;
    sshUser: string;
    /** Address space of the VMs' network. */
    vnetCidr: string;
    /** The VMs' subnet: the network's first /24. */
    subnetCidr: string;
    /** One per container, read-only unless a volume on it writes. */
    grants: ContainerGrant[];
}

/** "publisher:offer:sku:version", the URN `az vm image list` prints. */
export function parseImageUrn(urn: string): AzureImage | undefined {
    const parts = urn.split(":");
    if (parts.length !== 4 || parts.some((p) => p === "" || /\s/.test(p))) return undefined;
    const [publisher, offer, sku, version] = parts;
    return { publisher, offer, sku, version };
}

function imageIssue(urn: string): Issue {
    return issue(
        "image",
        urn,
        'must be an Azure image URN "publisher:offer:sku:version", such as "Canonical:ubuntu-24_04-lts:server:latest"',
    );
}

/** One grant per container: writable if any volume on it writes. */
export function mergeContainerGrants(grants: ContainerGrant[]): ContainerGrant[] {
    const merged = new Map<string, ContainerGrant>();
    for (const g of grants) {
        const seen = merged.get(g.key);
        merged.set(g.key, seen ? { ...seen, readOnly: seen.readOnly && g.readOnly } : { ...g });
    }
    return [...merged.values()].sort((a, b) => a.key.localeCompare(b.key));
}

function containerGrants(spec: MachineSpec): ContainerGrant[] {
    return mergeContainerGrants(
        (spec.volumes ?? []).flatMap((v) =>
            v.store === "azure" && v.azureScope !== undefined
                ? [{ key: `${v.endpoint}/${v.bucket}`, scope: v.azureScope, readOnly: v.readOnly ?? true }]
                : [],
        ),
    );
}

export const azurePlanner: MachinePlanner<AzureMachinePlan> = {
    validate: (spec) => {
        const issues = validateCloudMachines(spec, "azure", {
            reaches: () => false,
            keylessRule:
                "required: geesefs reaches Azure Blob (and every other store) from Azure VMs only with keys; SkyStorage's ref carries the account key (the VMs' managed identity serves your own code)",
        });
        if (spec.image !== undefined && parseImageUrn(spec.image) === undefined) issues.push(imageIssue(spec.image));
        if (spec.vnetCidr !== undefined && (!IPV4_CIDR.test(spec.vnetCidr) || Number(spec.vnetCidr.split("/")[1]) > 24)) {
            issues.push(issue("azure.vnetCidr", spec.vnetCidr, "must be an IPv4 CIDR of /24 or larger, such as 10.42.0.0/16"));
        }
        return issues;
    },

    plan: (spec) => {
        const urn = spec.image ?? AZURE_DEFAULTS.image;
        // An image unknown at preview stays so in each part (SkyCompute takes them from the later plan).
        const image = isNotKnownText(urn) ? { publisher: urn, offer: urn, sku: urn, version: urn } : parseImageUrn(urn);
        if (image === undefined) throw new Error(formatIssue(imageIssue(urn)));
        const vnetCidr = spec.vnetCidr ?? AZURE_DEFAULTS.vnetCidr;
        return {
            nodes: spec.nodes ?? AZURE_DEFAULTS.nodes,
            location: spec.region ?? AZURE_DEFAULTS.location,
            resourceGroupName: spec.resourceGroupName,
            vmSize: spec.instanceType ?? AZURE_DEFAULTS.vmSize,
            image,
            sshCidr: spec.sshCidr ?? AZURE_DEFAULTS.sshCidr,
            sshUser: spec.sshUser ?? AZURE_DEFAULTS.sshUser,
            vnetCidr,
            subnetCidr: vnetCidr.replace(/\/\d+$/, "/24"),
            grants: containerGrants(spec),
        };
    },
};
