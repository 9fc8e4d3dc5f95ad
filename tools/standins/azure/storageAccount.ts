// azure-native:storage:StorageAccount as @pulumi/azure-native v3 serves it, and the function that
// lists its keys: ARM's id, a new account when its name, group or location changes, names unique
// across "Azure" (every account of the testbed's Azurite), the group required to exist, and two fresh
// 512-bit keys that Azurite accepts from Create on (dataPlane.ts). Deleting the account deletes its
// containers and blobs, as Azure does. Its settings (kind, SKU, TLS, HTTPS only, encryption, public
// access) are state only: Azurite serves every account alike.
import { randomBytes } from "node:crypto";
import type { FunctionModel, ResourceModel } from "../resourceModel";
import { accountId, blobClientFor, changeRegistry, registry, subscriptionId } from "./dataPlane";

function accountOutputs(inputs: Record<string, unknown>, created: string): Record<string, unknown> {
    const name = String(inputs.accountName);
    const endpoint = (service: string) => `https://${name}.${service}.core.windows.net/`;
    return {
        ...inputs,
        name,
        type: "Microsoft.Storage/storageAccounts",
        provisioningState: "Succeeded",
        creationTime: created,
        primaryLocation: inputs.location,
        statusOfPrimary: "available",
        primaryEndpoints: {
            blob: endpoint("blob"),
            dfs: endpoint("dfs"),
            file: endpoint("file"),
            queue: endpoint("queue"),
            table: endpoint("table"),
            web: `https://${name}.z13.web.core.windows.net/`,
        },
        azureApiVersion: "2024-01-01",
    };
}

/** Deletes every container of the account (Azure deletes an account's data with it). */
export async function deleteAccountData(account: string): Promise<void> {
    const client = blobClientFor(account);
    try {
        const listed = await client.request("GET", "/", { comp: "list" }, [200]);
        const names = [...listed.body.matchAll(/<Container>\s*<Name>([^<]+)<\/Name>/g)].map((m) => m[1]);
        for (const name of names) await client.deleteContainer(name);
    } finally {
        client.destroy();
    }
}

export const storageAccountModel: ResourceModel = {
    replaceOn: ["accountName", "resourceGroupName", "location"],
    validate: (inputs) =>
        typeof inputs.accountName === "string" && !/^[a-z0-9]{3,24}$/.test(inputs.accountName)
            ? [{ property: "accountName", reason: `${inputs.accountName}: must be 3 to 24 lowercase letters and digits` }]
            : [],
    async create(inputs) {
        const subscription = subscriptionId();
        const name = String(inputs.accountName);
        const group = String(inputs.resourceGroupName);
        const created = new Date().toISOString();
        await changeRegistry((now) => {
            if (!now.resourceGroups[group]) throw new Error(`ResourceGroupNotFound: Resource group '${group}' could not be found.`);
            if (now.accounts[name]) throw new Error(`StorageAccountAlreadyTaken: The storage account named ${name} is already taken.`);
            const key = () => randomBytes(64).toString("base64");
            now.accounts[name] = { keys: [key(), key()], subscription, resourceGroup: group, location: String(inputs.location), created };
        });
        return { id: accountId(subscription, group, name), outs: accountOutputs(inputs, created) };
    },
    read: async (_id, state) => (registry().accounts[String(state.name)] ? state : undefined),
    update: async (_id, olds, news) => accountOutputs(news, String(olds.creationTime)),
    async delete(_id, state) {
        const name = String(state.name);
        if (!registry().accounts[name]) return;
        await deleteAccountData(name);
        await changeRegistry((now) => {
            delete now.accounts[name];
        });
    },
};

/** azure-native:storage:listStorageAccountKeys: the account's two keys, if it is in the group named. */
export const listStorageAccountKeys: FunctionModel = {
    secretOutputs: ["value"],
    async invoke(inputs) {
        const account = registry().accounts[String(inputs.accountName)];
        if (!account || account.resourceGroup !== inputs.resourceGroupName)
            throw new Error(
                `ResourceNotFound: The Resource 'Microsoft.Storage/storageAccounts/${String(inputs.accountName)}' under resource group '${String(inputs.resourceGroupName)}' was not found.`,
            );
        return {
            keys: account.keys.map((value, i) => ({ keyName: `key${i + 1}`, value, permissions: "FULL", creationTime: account.created })),
        };
    },
};
