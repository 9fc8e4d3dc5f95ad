// Azurite, the Azure Storage emulator, as the testbed's Azure Blob service: blob service only, on
// the bridge address, with an account of its own (not the emulator's devstoreaccount1) whose key is
// made fresh at every `up`.
//
// Azure clients, geesefs among them, take the storage account from the first DNS label of the blob
// endpoint (https://<account>.blob.core.windows.net). The testbed gives the same shape:
// http://<account>.blob.skym.test:10000, resolved by /etc/hosts on this machine (where Pulumi runs)
// and on every host, and Azurite's "production-style URL" mode reads the account from that label.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { AZURITE_ACCOUNTS_FILE_ENV } from "./azuriteAccounts";
import { instance, repoRoot, TestbedAzure } from "./info";
import { mentionsAddress } from "./instance";

export const AZURITE_PORT = 10000;
/** The emulated storage account: 3-24 lowercase letters and digits, like a real one. */
export const AZURITE_ACCOUNT = process.env.SKYMOUNT_TESTBED_AZURE_ACCOUNT ?? "skymount";
/** The DNS suffix of the testbed's blob endpoints; `.test` is reserved, so it never leaks out. */
export const BLOB_DNS_SUFFIX = instance.blobDnsSuffix;
/** Marks the /etc/hosts lines this testbed instance owns, so its `down` removes exactly those (not another instance's). */
export const HOSTS_TAG = instance.hostsTag;

export function azureHostName(account: string): string {
    return `${account}.${BLOB_DNS_SUFFIX}`;
}

export function hostsLine(azure: Pick<TestbedAzure, "address" | "account">): string {
    return `${azure.address} ${azureHostName(azure.account)} ${HOSTS_TAG}`;
}

/** The Azurite entry point, run with this node: its command line then names it and the address. */
function azuriteBlobMain(): string {
    return path.join(repoRoot, "node_modules", "azurite", "dist", "src", "blob", "main.js");
}

/** Whether a process command line is a testbed Azurite bound to `address`. */
export function isTestbedAzurite(cmdline: string, address: string): boolean {
    return cmdline.includes("azurite/dist/src/blob/main.js") && mentionsAddress(cmdline, address);
}

/** Starts Azurite's blob service on `address`; its data and log live in `dir`. Returns the service's description. */
export function startAzurite(dir: string, address: string): TestbedAzure {
    const azure: TestbedAzure = {
        endpoint: `http://${azureHostName(AZURITE_ACCOUNT)}:${AZURITE_PORT}`,
        account: AZURITE_ACCOUNT,
        key: randomBytes(64).toString("base64"),
        address,
        accountsFile: path.join(dir, "accounts.json"),
    };
    mkdirSync(path.join(dir, "data"), { recursive: true });
    const out = openSync(path.join(dir, "azurite.log"), "a");
    // Through azuriteAccounts.ts, so that storage accounts the Azure stand-in makes exist in Azurite too.
    const args = [
        "--import",
        `file://${path.join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs")}`,
        path.join(__dirname, "azuriteAccounts.ts"),
        azuriteBlobMain(),
        "--blobHost",
        address,
        "--blobPort",
        String(AZURITE_PORT),
        "--location",
        path.join(dir, "data"),
        "--disableTelemetry",
        // geesefs's Azure SDK (azure-storage-blob-go) sends an API version older than Azurite's newest.
        "--skipApiVersionCheck",
        "--loose",
        "--silent",
    ];
    // The key reaches Azurite in its environment only, never on its command line.
    const child = spawn(process.execPath, args, {
        detached: true,
        stdio: ["ignore", out, out],
        env: {
            ...process.env,
            AZURITE_ACCOUNTS: `${azure.account}:${azure.key}`,
            [AZURITE_ACCOUNTS_FILE_ENV]: azure.accountsFile,
            TSX_TSCONFIG_PATH: path.join(repoRoot, "tsconfig.json"),
        },
    });
    child.unref();
    if (child.pid === undefined) throw new Error("could not start Azurite");
    return azure;
}

/** Adds the endpoint's name to an /etc/hosts file (this machine's, or a host's in its own root). */
export function addHostsLine(file: string, azure: Pick<TestbedAzure, "address" | "account">): void {
    const line = hostsLine(azure);
    const text = readFileSync(file, "utf8");
    if (text.split("\n").includes(line)) return;
    // Appended in place (same inode): a bind-mounted /etc/hosts cannot be replaced by a rename.
    writeFileSync(file, `${text}${text.endsWith("\n") || text === "" ? "" : "\n"}${line}\n`, { flag: "w" });
}

/** Removes every line the testbed added to an /etc/hosts file. */
export function removeHostsLines(file: string): void {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch {
        return;
    }
    const kept = text.split("\n").filter((line) => !line.endsWith(HOSTS_TAG));
    if (kept.length !== text.split("\n").length) writeFileSync(file, kept.join("\n"));
}

/** Azurite answers any request once it listens; an unsigned one gets a 4xx, which is an answer. */
export async function waitForAzurite(azure: TestbedAzure, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const url = `http://${azure.address}:${AZURITE_PORT}/${azure.account}?comp=list`;
    for (;;) {
        const res = await fetch(url).catch(() => undefined);
        if (res) return;
        if (Date.now() > deadline) throw new Error(`Azurite at ${url} did not answer within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
    }
}
