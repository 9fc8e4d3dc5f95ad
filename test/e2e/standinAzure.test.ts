// SkyStorage with store azure through the real engine and the Azure stand-in (tools/standins/azure/),
// installed into this test's own PULUMI_HOME at the version of @pulumi/azure-native in the lockfile.
// One stack holds a persistent container and an ephemeral one (fewer engine runs): preview checks the
// storage accounts, creates nothing and leaves the containers' accounts unknown; `up` makes resource
// groups, storage accounts Azurite serves from then on, and the containers, in ARM's id format, and
// lists the accounts' keys through the provider's function; Azurite accepts the listed key and
// refuses another; a second `up` changes nothing; `destroy` keeps the persistent group, account and
// container (no Delete reaches the provider) and deletes the ephemeral ones, after which Azurite no
// longer knows that account. The recorded calls prove the stand-in served the program.
// No endpoint is overridden: under tools/testbed/with-cloud-names.sh skymount's sync of a local source
// reaches https://<account>.blob.core.windows.net (shared key, the account taken from the host name) as
// on Azure, through the testbed's TLS front to Azurite.
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
import { namesReached, pulumiWithCloudNames } from "./support/cloudNames";
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
    const source = path.join(work, "source");
    const azurite = `http://${testbed.azure.address}:${AZURITE_PORT}`;
    const standinEnv = {
        [AZURITE_ACCOUNTS_FILE_ENV]: testbed.azure.accountsFile,
        [AZURITE_BLOB_ENV]: azurite,
        ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
    };
    const stacks: Stack[] = [];
    const name = uniqueName("standin-az");
    const scratch = uniqueName("standin-az-eph");
    const groups: string[] = [];
    let pulumi: PulumiCommand;
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

    async function newStack(): Promise<Stack> {
        const backendDir = path.join(work, "state");
        mkdirSync(backendDir);
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: "standin", workDir: path.join(programsDir, "standinAzure") },
            {
                pulumiCommand: pulumi,
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
        await stack.setAllConfig({ name: { value: name }, scratch: { value: scratch }, source: { value: source } });
        return stack;
    }

    before(async () => {
        // This process reads the registry too (what Azurite knows), and cleans up after.
        Object.assign(process.env, standinEnv);
        pulumi = await pulumiWithCloudNames(path.join(work, "pulumi-cli"));
        mkdirSync(path.join(source, "nested"), { recursive: true });
        writeFileSync(path.join(source, "a.txt"), "alpha\n");
        writeFileSync(path.join(source, "nested", "b.txt"), "beta\n");
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

    describe("a persistent container (skymount's default) and an ephemeral one (persistent: false), in one stack", () => {
        let stack: Stack;
        let keys: Keys;
        let scratchKeys: Keys;

        it("preview: the stand-in checks the accounts, creates nothing, and the containers' accounts are unknown", async () => {
            stack = await newStack();
            const preview = await stack.preview({ diff: true });
            const calls = newCalls();
            const checked = [
                ...new Set(calls.filter((c) => c.method === "check" && c.type === ACCOUNT_TYPE).map((c) => String(c.inputs?.accountName))),
            ];
            assert.equal(checked.length, 2, `the stand-in never checked both storage accounts: ${JSON.stringify(calls)}`);
            for (const account of checked) {
                assert.match(account, /^sky[0-9a-f]{21}$/);
                assert.equal(registry().accounts[account], undefined);
            }
            assert.deepEqual(
                calls.filter((c) => c.method !== "check"),
                [],
            );
            assert.match(preview.stdout, /BlobContainer: \(create\)[^+]*accountName\s*: \[unknown\]/, preview.stdout);
        });

        it("up: groups, accounts and containers in ARM's formats; the keys listed; skymount's sync fills the container; Azurite takes the key and no other", async () => {
            const result = await stack.up();
            assert.equal(result.summary.result, "succeeded");
            const calls = newCalls();
            keys = result.outputs.credentials.value as Keys;
            scratchKeys = result.outputs.scratchCredentials.value as Keys;
            const madeGroups = made(calls, GROUP_TYPE);
            groups.push(...madeGroups.map((g) => String(g.outs.name)));
            const account = made(calls, ACCOUNT_TYPE).find((a) => a.outs.name === keys.accessKey)!;
            const groupName = String(account.outs.resourceGroupName);
            const group = madeGroups.find((g) => g.outs.name === groupName)!;
            assert.equal(group.id, `/subscriptions/${SUBSCRIPTION}/resourceGroups/${groupName}`);
            assert.equal(account.id, `${group.id}/providers/Microsoft.Storage/storageAccounts/${keys.accessKey}`);
            assert.equal((account.outs.primaryEndpoints as { blob: string }).blob, `https://${keys.accessKey}.blob.core.windows.net/`);
            const container = made(calls, CONTAINER_TYPE).find((c) => c.outs.name === name)!;
            assert.equal(container.id, `${account.id}/blobServices/default/containers/${name}`);
            const invokes = calls.filter((c) => c.method === "invoke");
            assert.ok(
                invokes.some(
                    (c) =>
                        c.type === "azure-native:storage:listStorageAccountKeys" &&
                        c.inputs?.accountName === keys.accessKey &&
                        c.inputs?.resourceGroupName === groupName,
                ),
                JSON.stringify(invokes),
            );
            assert.equal(invokes.length, 2);
            assert.doesNotMatch(JSON.stringify(invokes), new RegExp(keys.secretKey.replace(/[+/=]/g, ".")));
            assert.equal(result.outputs.bucket.value, name);
            assert.equal(await containerExists(keys, name), true);
            assert.equal(await containerExists(scratchKeys, scratch), true);
            assert.equal(await containerExists({ ...keys, secretKey: randomBytes(64).toString("base64") }, name), "AuthorizationFailure");
            const client = blobClient(keys);
            assert.deepEqual((await client.listAllBlobs(name)).sort(), ["a.txt", "nested/b.txt"]);
            client.destroy();
            assert.deepEqual(result.outputs.syncSummaries.value, ["2 added (a.txt, nested/b.txt); 0 changed; 0 removed"]);
            // The sync reached the account under Azure's own name, through the TLS front.
            assert.ok(namesReached(testbed).includes(`${keys.accessKey}.blob.core.windows.net`), namesReached(testbed).join(" "));
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

        it("destroy keeps the persistent group, account and container; deletes the ephemeral ones, blobs and all", async () => {
            const client = blobClient(keys);
            await client.putBlob(name, "kept.txt", { length: 5, open: () => Buffer.from("kept\n") });
            const scratchClient = blobClient(scratchKeys);
            await scratchClient.putBlob(scratch, "gone.txt", { length: 5, open: () => Buffer.from("gone\n") });
            scratchClient.destroy();
            assert.equal((await stack.destroy()).summary.result, "succeeded");
            const deletes = newCalls().filter((c) => c.method === "delete");
            assert.deepEqual(deletes.map((c) => [c.type, c.error]).sort(), [
                [GROUP_TYPE, undefined],
                [CONTAINER_TYPE, undefined],
                [ACCOUNT_TYPE, undefined],
            ]);
            assert.ok(
                deletes.every((c) => !String(c.id).includes(keys.accessKey) && c.name.startsWith("scratch")),
                JSON.stringify(deletes),
            );
            assert.deepEqual((await client.listAllBlobs(name)).sort(), ["a.txt", "kept.txt", "nested/b.txt"]);
            client.destroy();
            assert.equal(registry().accounts[scratchKeys.accessKey], undefined);
            // Signed with the deleted account's key, even making a container is refused.
            const stale = blobClient(scratchKeys);
            await assert.rejects(stale.createContainer(scratch), { code: "ResourceNotFound" });
            stale.destroy();
        });
    });
});
