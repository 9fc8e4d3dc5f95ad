// SkyStorage with store azure through the real engine and the Azure stand-in (tools/standins/azure/),
// installed into this test's own PULUMI_HOME at the version of @pulumi/azure-native in the lockfile:
// preview checks the storage account, creates nothing and leaves the container's account unknown;
// `up` makes the resource group, a storage account Azurite serves from then on, and the container, in
// ARM's id format, and lists the account's keys through the provider's function; Azurite accepts the
// listed key and refuses another; a second `up` changes nothing; `destroy` keeps a persistent
// account and container (no Delete reaches the provider) and deletes an ephemeral one, after which
// Azurite no longer knows the account. The recorded calls prove the stand-in served the program.
// Not yet here: skymount's own sync of a local source, which reaches the account at
// https://<account>.blob.core.windows.net (no endpoint override for accounts skymount creates, by
// design): it runs once the testbed answers Azure's names (see the closing note of the branch).
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { BlobClient } from "../../src/clients/azureBlobClient";
import { CALL_LOG_ENV, readCalls, RecordedCall } from "../../tools/standins/callLog";
import { AZURITE_BLOB_ENV, registry } from "../../tools/standins/azure/dataPlane";
import { resourceGroupModel } from "../../tools/standins/azure/resourceGroup";
import { installStandin, standinVersion } from "../../tools/standins/install";
import { AZURITE_ACCOUNTS_FILE_ENV } from "../../tools/testbed/azuriteAccounts";
import { AZURITE_PORT } from "../../tools/testbed/azurite";
import { programsDir, requireTestbed, uniqueName } from "./support/testbed";

const ACCOUNT_TYPE = "azure-native:storage:StorageAccount";
const CONTAINER_TYPE = "azure-native:storage:BlobContainer";
const GROUP_TYPE = "azure-native:resources:ResourceGroup";
const SUBSCRIPTION = "00000000-0000-4000-8000-00000000cafe";
type Made = { id: string; outs: Record<string, unknown> };
type Keys = { accessKey: string; secretKey: string };

describe("SkyStorage on Azure Blob through the real engine and the Azure stand-in", () => {
    const testbed = requireTestbed();
    const work = mkdtempSync(path.join(tmpdir(), "skymount-standin-azure-"));
    const pulumiHome = path.join(work, "pulumi-home");
    const callLog = path.join(work, "calls.jsonl");
    const azurite = `http://${testbed.azure.address}:${AZURITE_PORT}`;
    const standinEnv = {
        [AZURITE_ACCOUNTS_FILE_ENV]: testbed.azure.accountsFile,
        [AZURITE_BLOB_ENV]: azurite,
        ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
    };
    const stacks: Stack[] = [];
    const groups: string[] = [];
    let seen = 0;
    /** The calls recorded since the last look. */
    const newCalls = (): RecordedCall[] => {
        const calls = readCalls(callLog);
        const fresh = calls.slice(seen);
        seen = calls.length;
        return fresh;
    };
    const made = (calls: RecordedCall[], type: string): Made[] =>
        calls.filter((c) => c.method === "create" && c.type === type).map((c) => c.result as Made);
    /** Azurite, path-style, signing with `keys`: what a request with the program's credentials gets. */
    const blobClient = (keys: Keys) =>
        new BlobClient({ endpoint: `${azurite}/${keys.accessKey}`, account: keys.accessKey, key: keys.secretKey });
    const containerExists = async (keys: Keys, container: string) => {
        const client = blobClient(keys);
        try {
            return await client.containerExists(container);
        } catch (err) {
            return (err as { code?: string }).code ?? (err as Error).message;
        } finally {
            client.destroy();
        }
    };

    async function newStack(name: string, persistent: boolean): Promise<Stack> {
        const backendDir = path.join(work, `state-${stacks.length}`);
        mkdirSync(backendDir);
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: `standin${stacks.length}`, workDir: path.join(programsDir, "standinAzure") },
            {
                envVars: {
                    ...standinEnv,
                    PULUMI_HOME: pulumiHome,
                    PULUMI_BACKEND_URL: `file://${backendDir}`,
                    PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
                    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                    [CALL_LOG_ENV]: callLog,
                },
            },
        );
        stacks.push(stack);
        await stack.setAllConfig({ name: { value: name }, persistent: { value: String(persistent) } });
        return stack;
    }

    before(() => {
        // This process reads the registry too (what Azurite knows), and cleans up after.
        Object.assign(process.env, standinEnv);
        installStandin("azure-native", standinVersion("azure-native"), pulumiHome);
    });

    after(async () => {
        for (const stack of stacks) {
            await stack.destroy().catch(() => undefined);
            await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
            rmSync(path.join(programsDir, "standinAzure", `Pulumi.${stack.name}.yaml`), { force: true });
        }
        // Retained groups go with their accounts and containers, as in ARM.
        for (const group of groups) await resourceGroupModel.delete("", { name: group }).catch(() => undefined);
        rmSync(work, { recursive: true, force: true });
    });

    describe("a persistent container (skymount's default)", () => {
        const name = uniqueName("standin-az");
        let stack: Stack;
        let keys: Keys;

        it("preview: the stand-in checks the account, creates nothing, and the container's account is unknown", async () => {
            stack = await newStack(name, true);
            const preview = await stack.preview({ diff: true });
            const calls = newCalls();
            const check = calls.find((c) => c.method === "check" && c.type === ACCOUNT_TYPE);
            assert.ok(check, `the stand-in never checked the storage account: ${JSON.stringify(calls)}`);
            assert.match(String(check.inputs?.accountName), /^sky[0-9a-f]{21}$/);
            assert.deepEqual(
                calls.filter((c) => c.method !== "check"),
                [],
            );
            assert.equal(registry().accounts[String(check.inputs?.accountName)], undefined);
            assert.match(preview.stdout, /BlobContainer: \(create\)[^+]*accountName\s*: \[unknown\]/, preview.stdout);
        });

        it("up: group, account and container in ARM's formats; the account's keys listed; Azurite takes the key and no other", async () => {
            const result = await stack.up();
            assert.equal(result.summary.result, "succeeded");
            const calls = newCalls();
            const [group] = made(calls, GROUP_TYPE);
            const groupName = String(group.outs.name);
            groups.push(groupName);
            assert.equal(group.id, `/subscriptions/${SUBSCRIPTION}/resourceGroups/${groupName}`);
            const [account] = made(calls, ACCOUNT_TYPE);
            const accountName = String(account.outs.name);
            assert.equal(account.id, `${group.id}/providers/Microsoft.Storage/storageAccounts/${accountName}`);
            assert.deepEqual(account.outs.primaryEndpoints, {
                ...(account.outs.primaryEndpoints as object),
                blob: `https://${accountName}.blob.core.windows.net/`,
            });
            const [container] = made(calls, CONTAINER_TYPE);
            assert.equal(container.id, `${account.id}/blobServices/default/containers/${name}`);
            const invokes = calls.filter((c) => c.method === "invoke");
            assert.deepEqual(
                invokes.map((c) => [c.type, c.inputs]),
                [["azure-native:storage:listStorageAccountKeys", { accountName, resourceGroupName: groupName }]],
            );
            assert.doesNotMatch(JSON.stringify(invokes), new RegExp(registry().accounts[accountName].keys[0].replace(/[+/=]/g, ".")));
            keys = result.outputs.credentials.value as Keys;
            assert.equal(keys.accessKey, accountName);
            assert.equal(result.outputs.bucket.value, name);
            assert.equal(await containerExists(keys, name), true);
            assert.equal(await containerExists({ ...keys, secretKey: randomBytes(64).toString("base64") }, name), "AuthorizationFailure");
        });

        it("a second up changes nothing: no create, update or delete reaches the stand-in", async () => {
            const result = await stack.up();
            assert.equal(result.summary.result, "succeeded");
            assert.deepEqual(Object.keys(result.summary.resourceChanges ?? {}), ["same"]);
            assert.deepEqual(
                newCalls().filter((c) => ["create", "update", "delete", "read"].includes(c.method)),
                [],
            );
        });

        it("destroy keeps the group, the account and the container: no Delete reaches the stand-in", async () => {
            const client = blobClient(keys);
            await client.putBlob(name, "kept.txt", { length: 5, open: () => Buffer.from("kept\n") });
            assert.equal((await stack.destroy()).summary.result, "succeeded");
            assert.deepEqual(
                newCalls().filter((c) => c.method === "delete"),
                [],
            );
            assert.deepEqual(await client.listAllBlobs(name), ["kept.txt"]);
            client.destroy();
        });
    });

    describe("an ephemeral container (persistent: false)", () => {
        const name = uniqueName("standin-az-eph");

        it("destroy deletes container, account and group; Azurite then refuses the account's key", async () => {
            const stack = await newStack(name, false);
            const result = await stack.up();
            assert.equal(result.summary.result, "succeeded");
            groups.push(String(made(newCalls(), GROUP_TYPE)[0].outs.name));
            const keys = result.outputs.credentials.value as Keys;
            const client = blobClient(keys);
            await client.putBlob(name, "gone.txt", { length: 5, open: () => Buffer.from("gone\n") });
            client.destroy();
            assert.equal((await stack.destroy()).summary.result, "succeeded");
            const deletes = newCalls().filter((c) => c.method === "delete");
            assert.deepEqual(deletes.map((c) => [c.type, c.error]).sort(), [
                [GROUP_TYPE, undefined],
                [CONTAINER_TYPE, undefined],
                [ACCOUNT_TYPE, undefined],
            ]);
            assert.equal(registry().accounts[keys.accessKey], undefined);
            // Signed with the deleted account's key, even making a container is refused.
            const stale = blobClient(keys);
            await assert.rejects(stale.createContainer(name), { code: "ResourceNotFound" });
            stale.destroy();
        });
    });
});
