// The identity the Azure compute driver declares for its machines, as @pulumi/azure-native v3 serves
// it: a user-assigned managed identity (ARM's id, fresh principal and client ids) and its role
// assignments on the volumes' containers (autonamed with a GUID, ARM's id under the scope, a new
// assignment when scope, principal or role changes, as ARM refuses to update one). State only, and
// recorded: Azurite has no Azure AD and no RBAC, so nothing here is enforced by a server: a reader's
// assignment does not stop a write, and geesefs reaches Azure Blob with the account key anyway.
import { randomUUID } from "node:crypto";
import { stateOnlyModel } from "../resourceModel";
import { groupId, subscriptionId } from "./dataPlane";

/** The tenant the stand-in's identities live in. */
export const TENANT_ID = "72f988bf-0000-4000-8000-000000000000";

export const userAssignedIdentityModel = stateOnlyModel({
    replaceOn: ["resourceName", "resourceGroupName", "location"],
    defaults: (inputs, name, olds) =>
        inputs.resourceName !== undefined ? {} : { resourceName: olds?.resourceName ?? `${name}${randomUUID().slice(0, 8)}` },
    id: (inputs) =>
        `${groupId(subscriptionId(), String(inputs.resourceGroupName))}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${String(inputs.resourceName)}`,
    computed: (inputs) => ({
        name: inputs.resourceName,
        type: "Microsoft.ManagedIdentity/userAssignedIdentities",
        principalId: randomUUID(),
        clientId: randomUUID(),
        tenantId: TENANT_ID,
        azureApiVersion: "2023-01-31",
    }),
});

export const roleAssignmentModel = stateOnlyModel({
    replaceOn: ["roleAssignmentName", "scope", "principalId", "roleDefinitionId"],
    defaults: (inputs, _name, olds) =>
        inputs.roleAssignmentName !== undefined ? {} : { roleAssignmentName: olds?.roleAssignmentName ?? randomUUID() },
    id: (inputs) => `${String(inputs.scope)}/providers/Microsoft.Authorization/roleAssignments/${String(inputs.roleAssignmentName)}`,
    computed: (inputs) => ({
        name: inputs.roleAssignmentName,
        type: "Microsoft.Authorization/roleAssignments",
        createdOn: new Date().toISOString(),
        azureApiVersion: "2022-04-01",
    }),
});
