// Storage accounts added to the testbed's Azurite while it runs. Azurite reads its accounts once
// from AZURITE_ACCOUNTS (and again every minute from its own environment, which nothing outside can
// change), but the Azure stand-in (tools/standins/azure/) makes a storage account whenever a program
// declares one. So Azurite starts through this entry, which patches its account store to also look
// an account up in a JSON file (the stand-in's registry, 0600 beside Azurite's data, read again
// at every lookup), then runs Azurite's blob service as its own main would. An account the
// stand-in deletes is gone from the file, and from Azurite, at once.
import { readFileSync } from "node:fs";
import * as path from "node:path";

/** The environment variable naming the registry file, for Azurite and for the stand-in. */
export const AZURITE_ACCOUNTS_FILE_ENV = "SKYMOUNT_AZURITE_ACCOUNTS_FILE";

export interface RegisteredAccount {
    /** Both account keys, base64, as ARM lists them. */
    keys: [string, string];
    subscription: string;
    resourceGroup: string;
    location: string;
    created: string;
}

export interface AccountRegistry {
    resourceGroups: Record<string, { subscription: string; location: string }>;
    accounts: Record<string, RegisteredAccount>;
}

export function readRegistry(file: string): AccountRegistry {
    try {
        return JSON.parse(readFileSync(file, "utf8")) as AccountRegistry;
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return { resourceGroups: {}, accounts: {} };
        throw err;
    }
}

interface AzuriteAccount {
    name: string;
    key1: Buffer;
    key2?: Buffer;
}

/** Makes Azurite's account store find registered accounts too (the environment's keep precedence). */
function patchAccountStore(azuriteMain: string, file: string): void {
    const storeModule = path.join(path.dirname(azuriteMain), "..", "common", "AccountDataStore.js");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const store = (require(storeModule) as { default: { prototype: { getAccount(name: string): AzuriteAccount | undefined } } }).default;
    const fromEnvironment = store.prototype.getAccount;
    store.prototype.getAccount = function (this: unknown, name: string) {
        const known = fromEnvironment.call(this, name);
        if (known) return known;
        // Read at every lookup (a file of a few accounts): a file's mtime moves in clock ticks, too coarse to notice a change by.
        const account = readRegistry(file).accounts[name];
        return account && { name, key1: Buffer.from(account.keys[0], "base64"), key2: Buffer.from(account.keys[1], "base64") };
    };
}

if (require.main === module) {
    // Started as `node <this> <azurite blob main.js> <azurite's arguments…>`: Azurite parses process.argv.
    const [azuriteMain] = process.argv.splice(2, 1);
    const file = process.env[AZURITE_ACCOUNTS_FILE_ENV];
    if (!azuriteMain || !file)
        throw new Error(`usage: ${AZURITE_ACCOUNTS_FILE_ENV}=<file> node azuriteAccounts.ts <azurite blob main.js> …`);
    process.argv[1] = azuriteMain;
    patchAccountStore(azuriteMain, file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(azuriteMain);
}
