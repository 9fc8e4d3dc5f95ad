// azure-native:storage:BlobContainer as @pulumi/azure-native v3 serves it: a real container in the
// account's Azurite storage, ARM's id, a new container when its name, account or group changes.
// Deleting one deletes its blobs, as Azure does (there is no "only when empty" for containers).
// Public access, metadata and immutability settings are state only.
import type { ResourceModel } from "../resourceModel";
import { accountId, blobClientFor, subscriptionId } from "./dataPlane";

async function withClient<T>(account: unknown, use: (client: ReturnType<typeof blobClientFor>) => Promise<T>): Promise<T> {
    const client = blobClientFor(String(account));
    try {
        return await use(client);
    } finally {
        client.destroy();
    }
}

export const blobContainerModel: ResourceModel = {
    replaceOn: ["containerName", "accountName", "resourceGroupName"],
    validate: (inputs) =>
        typeof inputs.containerName === "string" && !/^(?!.*--)[a-z0-9][-a-z0-9]{1,61}[a-z0-9]$/.test(inputs.containerName)
            ? [
                  {
                      property: "containerName",
                      reason: `${inputs.containerName}: must be 3 to 63 lowercase letters, digits and single hyphens`,
                  },
              ]
            : [],
    async create(inputs) {
        const name = String(inputs.containerName);
        await withClient(inputs.accountName, async (client) => {
            if (await client.containerExists(name)) throw new Error(`ContainerAlreadyExists: The specified container already exists.`);
            await client.createContainer(name);
        });
        const account = accountId(subscriptionId(), String(inputs.resourceGroupName), String(inputs.accountName));
        return {
            id: `${account}/blobServices/default/containers/${name}`,
            outs: {
                ...inputs,
                name,
                type: "Microsoft.Storage/storageAccounts/blobServices/containers",
                publicAccess: inputs.publicAccess ?? "None",
                defaultEncryptionScope: "$account-encryption-key",
                denyEncryptionScopeOverride: false,
                hasImmutabilityPolicy: false,
                hasLegalHold: false,
                leaseState: "Available",
                leaseStatus: "Unlocked",
                lastModifiedTime: new Date().toISOString(),
                azureApiVersion: "2024-01-01",
            },
        };
    },
    async read(_id, state) {
        try {
            return (await withClient(state.accountName, async (client) => await client.containerExists(String(state.name))))
                ? state
                : undefined;
        } catch (err) {
            // The account itself is gone: so is the container.
            if (/StorageAccountNotFound/.test((err as Error).message)) return undefined;
            throw err;
        }
    },
    update: async (_id, olds, news) => ({ ...olds, ...news }),
    async delete(_id, state) {
        try {
            await withClient(state.accountName, async (client) => await client.deleteContainer(String(state.name)));
        } catch (err) {
            if (!/StorageAccountNotFound/.test((err as Error).message)) throw err;
        }
    },
};
