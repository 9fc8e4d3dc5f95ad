// The Azure driver: Linux VMs (SSH keys only, no password) in a network of their own, a network
// security group that admits SSH from one CIDR, a public IP and NIC per VM, and a user-assigned
// managed identity holding Storage Blob Data Reader (or Contributor where a volume writes) on exactly
// the volumes' containers. geesefs itself mounts Azure Blob with the account key from the volume's
// ref (its Azure backend knows no token login); the identity is what the machines' own code uses
// (DefaultAzureCredential), scoped to the same containers.
import type * as azureSdk from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { loadOptional } from "../internal/optionalModule";
import { AzureMachinePlan, azurePlanner } from "./azurePlan";
import { Machines, SshKeyPair } from "./driver";
import { cloudDriver, machinesOf, nodeHost } from "./machines";

/** Built-in role definitions (the same GUIDs in every Azure tenant). */
export const BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
export const BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

/** The role definition's ID in the scope's subscription. */
function roleDefinitionId(scope: pulumi.Input<string>, role: string): pulumi.Output<string> {
    return pulumi.output(scope).apply((s) => {
        const subscription = /^\/subscriptions\/([^/]+)\//i.exec(s)?.[1];
        if (!subscription) throw new Error(`azureScope: ${JSON.stringify(s)}: must be a resource ID starting with /subscriptions/<id>/`);
        return `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
    });
}

function declareAzureMachines(name: string, plan: AzureMachinePlan, ssh: SshKeyPair, parent: pulumi.Resource): Machines {
    const az = loadOptional<typeof azureSdk>("@pulumi/azure-native", 'provider: "azure"');
    const opts = { parent };
    const location = plan.location;
    const resourceGroupName: pulumi.Input<string> =
        plan.resourceGroupName ?? new az.resources.ResourceGroup(`${name}-rg`, { location }, opts).name;

    // Every resource but the role assignments lives in the one group and location.
    const placed = { resourceGroupName, location };
    const identity = new az.managedidentity.UserAssignedIdentity(`${name}-identity`, placed, opts);
    for (const grant of plan.grants) {
        const role = grant.readOnly ? BLOB_DATA_READER : BLOB_DATA_CONTRIBUTOR;
        new az.authorization.RoleAssignment(
            `${name}-blob-${createHash("sha256").update(grant.key).digest("hex").slice(0, 10)}`,
            {
                scope: grant.scope,
                principalId: identity.principalId,
                principalType: az.authorization.PrincipalType.ServicePrincipal,
                roleDefinitionId: roleDefinitionId(grant.scope, role),
            },
            opts,
        );
    }

    const network = new az.network.VirtualNetwork(
        `${name}-vnet`,
        {
            ...placed,
            addressSpace: { addressPrefixes: [plan.vnetCidr] },
            subnets: [{ name: "skymount", addressPrefix: plan.subnetCidr }],
        },
        opts,
    );
    // Inbound is denied by Azure's default rules except what this allows.
    const nsg = new az.network.NetworkSecurityGroup(
        `${name}-nsg`,
        {
            ...placed,
            securityRules: [
                {
                    name: "ssh",
                    priority: 1000,
                    direction: az.network.SecurityRuleDirection.Inbound,
                    access: az.network.SecurityRuleAccess.Allow,
                    protocol: az.network.SecurityRuleProtocol.Tcp,
                    sourceAddressPrefix: plan.sshCidr,
                    sourcePortRange: "*",
                    destinationAddressPrefix: "*",
                    destinationPortRange: "22",
                },
            ],
        },
        opts,
    );
    const subnetId = network.subnets.apply((subnets) => subnets?.[0]?.id ?? "");

    const nodes = Array.from({ length: plan.nodes }, (_, i) => {
        const node = `${name}-node-${i}`;
        const ip = new az.network.PublicIPAddress(
            node,
            {
                ...placed,
                sku: { name: az.network.PublicIPAddressSkuName.Standard },
                publicIPAllocationMethod: az.network.IPAllocationMethod.Static,
            },
            opts,
        );
        const nic = new az.network.NetworkInterface(
            node,
            {
                ...placed,
                networkSecurityGroup: { id: nsg.id },
                ipConfigurations: [{ name: "primary", subnet: { id: subnetId }, publicIPAddress: { id: ip.id }, primary: true }],
            },
            opts,
        );
        const vm = new az.compute.VirtualMachine(
            node,
            {
                ...placed,
                hardwareProfile: { vmSize: plan.vmSize },
                osProfile: {
                    computerName: `node-${i}`,
                    adminUsername: plan.sshUser,
                    linuxConfiguration: {
                        disablePasswordAuthentication: true,
                        ssh: {
                            publicKeys: [{ path: pulumi.interpolate`/home/${plan.sshUser}/.ssh/authorized_keys`, keyData: ssh.publicKey }],
                        },
                    },
                },
                storageProfile: {
                    imageReference: plan.image,
                    osDisk: {
                        createOption: az.compute.DiskCreateOptionTypes.FromImage,
                        managedDisk: { storageAccountType: az.compute.StorageAccountTypes.StandardSSD_LRS },
                        deleteOption: az.compute.DiskDeleteOptionTypes.Delete,
                    },
                },
                networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
                identity: { type: az.compute.ResourceIdentityType.UserAssigned, userAssignedIdentities: [identity.id] },
            },
            opts,
        );
        // The address is known once the IP exists; it is usable once the VM does.
        const host = pulumi.all([ip.ipAddress, vm.id]).apply(([address]) => address ?? "");
        return { vm, host: nodeHost(i, host, plan.sshUser, ssh) };
    });
    return machinesOf(
        nodes.map((n) => n.host),
        nodes.map((n) => n.vm),
    );
}

export const azureDriver = cloudDriver("azure", azurePlanner, declareAzureMachines);
