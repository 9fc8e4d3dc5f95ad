// Where the Azure stand-in keeps its storage: the testbed's Azurite. A storage account is an entry
// in the registry file Azurite consults (tools/testbed/azuriteAccounts.ts), with two keys made at
// Create, so that Azurite accepts requests signed with them from then on, and refuses them once the
// account is deleted; resource groups are kept there too (an account needs its group, as in ARM).
// Both the file and Azurite's address come from the environment the engine starts the plugin with.
import { writeFileSync } from "node:fs";
import { BlobClient } from "../../../src/clients/azureBlobClient";
import { AccountRegistry, AZURITE_ACCOUNTS_FILE_ENV, readRegistry } from "../../testbed/azuriteAccounts";

/** Azurite's blob service as an address (http://<ip>:<port>): accounts are reached path-style under it. */
export const AZURITE_BLOB_ENV = "SKYMOUNT_STANDIN_AZURE_BLOB";

/** The subscription ARM ids name, from the variables the real provider reads. */
export function subscriptionId(): string {
    const id = process.env.ARM_SUBSCRIPTION_ID ?? process.env.AZURE_SUBSCRIPTION_ID;
    if (!id) throw new Error("azure-native stand-in: set ARM_SUBSCRIPTION_ID, as for the real provider");
    return id;
}

function registryFile(): string {
    const file = process.env[AZURITE_ACCOUNTS_FILE_ENV];
    if (!file) throw new Error(`azure-native stand-in: ${AZURITE_ACCOUNTS_FILE_ENV} must name the Azurite account registry`);
    return file;
}

export const registry = (): AccountRegistry => readRegistry(registryFile());

/** One registry change at a time: the engine runs a program's resources in parallel. */
let queue: Promise<unknown> = Promise.resolve();
export function changeRegistry<T>(change: (registry: AccountRegistry) => Promise<T> | T): Promise<T> {
    const next = queue.then(async () => {
        const now = registry();
        const result = await change(now);
        writeFileSync(registryFile(), JSON.stringify(now, null, 1), { mode: 0o600 });
        return result;
    });
    queue = next.catch(() => undefined);
    return next;
}

export const groupId = (subscription: string, group: string) => `/subscriptions/${subscription}/resourceGroups/${group}`;
export const accountId = (subscription: string, group: string, account: string) =>
    `${groupId(subscription, group)}/providers/Microsoft.Storage/storageAccounts/${account}`;

/** A Blob API client for a registered account, signed with its first key. */
export function blobClientFor(account: string): BlobClient {
    const base = process.env[AZURITE_BLOB_ENV];
    if (!base) throw new Error(`azure-native stand-in: ${AZURITE_BLOB_ENV} must name Azurite's blob service`);
    const registered = registry().accounts[account];
    if (!registered) throw new Error(`StorageAccountNotFound: The storage account ${account} was not found.`);
    return new BlobClient({ endpoint: `${base.replace(/\/+$/, "")}/${account}`, account, key: registered.keys[0] });
}
