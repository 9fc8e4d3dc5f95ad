// azure-native:resources:ResourceGroup as @pulumi/azure-native v3 serves it: autonamed `<name><8 hex>`
// once, ARM's id, a new group when the name or location changes. Deleting a group deletes what is in
// it, as ARM does: the stand-in's storage accounts there (their containers with them).
import { randomBytes } from "node:crypto";
import type { ResourceModel } from "../resourceModel";
import { changeRegistry, groupId, registry, subscriptionId } from "./dataPlane";
import { deleteAccountData } from "./storageAccount";

export const resourceGroupModel: ResourceModel = {
    replaceOn: ["resourceGroupName", "location"],
    defaults: (inputs, name, olds) =>
        inputs.resourceGroupName !== undefined
            ? {}
            : { resourceGroupName: olds?.resourceGroupName ?? `${name}${randomBytes(4).toString("hex")}` },
    async create(inputs) {
        const subscription = subscriptionId();
        const name = String(inputs.resourceGroupName);
        await changeRegistry((now) => {
            now.resourceGroups[name] = { subscription, location: String(inputs.location) };
        });
        return {
            id: groupId(subscription, name),
            outs: {
                ...inputs,
                name,
                type: "Microsoft.Resources/resourceGroups",
                properties: { provisioningState: "Succeeded" },
                azureApiVersion: "2024-03-01",
            },
        };
    },
    read: async (_id, state) => (registry().resourceGroups[String(state.name)] ? state : undefined),
    update: async (_id, olds, news) => ({ ...olds, ...news }),
    async delete(_id, state) {
        const name = String(state.name);
        const inside = Object.entries(registry().accounts).filter(([, account]) => account.resourceGroup === name);
        for (const [account] of inside) await deleteAccountData(account);
        await changeRegistry((now) => {
            for (const [account] of inside) delete now.accounts[account];
            delete now.resourceGroups[name];
        });
    },
};
