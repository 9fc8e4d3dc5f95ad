// What the GCP and Azure stand-ins (tools/standins/gcp/, azure/) answer to Check and Diff as
// @pulumi/gcp and @pulumi/azure-native would, the state-only identities they make in the clouds'
// formats, and the Azure function that lists an account's keys from a registry of the test's own
// (no data plane is reached: Check and Diff never touch one, and the identities are state only).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { CALL_LOG_ENV, readCalls } from "../../tools/standins/callLog";
import { roleAssignmentModel, userAssignedIdentityModel } from "../../tools/standins/azure/identity";
import { resourceGroupModel } from "../../tools/standins/azure/resourceGroup";
import { listStorageAccountKeys, storageAccountModel } from "../../tools/standins/azure/storageAccount";
import { gcsBucketModel } from "../../tools/standins/gcp/bucket";
import { firewallModel } from "../../tools/standins/gcp/firewall";
import { gcpIamModels } from "../../tools/standins/gcp/iam";
import { standinProvider } from "../../tools/standins/standinProvider";
import { AZURITE_ACCOUNTS_FILE_ENV } from "../../tools/testbed/azuriteAccounts";

const urn = (type: string, name: string) => `urn:pulumi:dev::proj::skymount:index:SkyStorage$${type}::${name}`;
const BUCKET = "gcp:storage/bucket:Bucket";
const SUBSCRIPTION = "00000000-0000-4000-8000-000000000001";

describe("the GCP and Azure stand-ins' answers", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "standin-gcpaz-unit-"));
    const log = path.join(dir, "calls.jsonl");
    const registryFile = path.join(dir, "accounts.json");
    Object.assign(process.env, { [CALL_LOG_ENV]: log, [AZURITE_ACCOUNTS_FILE_ENV]: registryFile, ARM_SUBSCRIPTION_ID: SUBSCRIPTION });
    const gcp = standinProvider("gcp", "9.37.0", {
        [BUCKET]: gcsBucketModel,
        "gcp:compute/firewall:Firewall": firewallModel,
        ...gcpIamModels,
    });
    const azure = standinProvider(
        "azure-native",
        "3.28.0",
        {
            "azure-native:resources:ResourceGroup": resourceGroupModel,
            "azure-native:storage:StorageAccount": storageAccountModel,
            "azure-native:managedidentity:UserAssignedIdentity": userAssignedIdentityModel,
            "azure-native:authorization:RoleAssignment": roleAssignmentModel,
        },
        { "azure-native:storage:listStorageAccountKeys": listStorageAccountKeys },
    );
    after(() => {
        for (const name of [CALL_LOG_ENV, AZURITE_ACCOUNTS_FILE_ENV, "ARM_SUBSCRIPTION_ID"]) delete process.env[name];
        rmSync(dir, { recursive: true, force: true });
    });

    it("GCS: a new bucket when the name or location changes; the location compared as GCS stores it; forceDestroy in place", async () => {
        const olds = { name: "a", location: "US-CENTRAL1", forceDestroy: false, url: "gs://a" };
        const checked = await gcp.check!(urn(BUCKET, "b"), olds, { name: "a", location: "us-central1", forceDestroy: false });
        assert.equal(checked.inputs.location, "US-CENTRAL1");
        assert.deepEqual(await gcp.diff!("a", urn(BUCKET, "b"), olds, checked.inputs), { changes: false, replaces: [] });
        const moved = await gcp.diff!("a", urn(BUCKET, "b"), olds, { ...checked.inputs, location: "EU" });
        assert.deepEqual(moved.replaces, ["location"]);
        const renamed = await gcp.diff!("a", urn(BUCKET, "b"), olds, { ...checked.inputs, name: "c" });
        assert.deepEqual(renamed.replaces, ["name"]);
        const forced = await gcp.diff!("a", urn(BUCKET, "b"), olds, { ...checked.inputs, forceDestroy: true });
        assert.deepEqual(forced, { changes: true, replaces: [] });
    });

    it("GCP: a service account id outside GCP's pattern fails at Check, as the provider's validation does", async () => {
        const type = "gcp:serviceaccount/account:Account";
        const bad = await gcp.check!(urn(type, "ro"), {}, { accountId: "Sky_1" });
        assert.deepEqual(
            bad.failures?.map((f) => f.property),
            ["accountId"],
        );
        assert.deepEqual((await gcp.check!(urn(type, "ro"), {}, { accountId: "sky-0123456789ab-ro" })).failures, []);
        const replaced = await gcp.diff!("x", urn(type, "ro"), { accountId: "sky-a-ro1", email: "e" }, { accountId: "sky-b-ro1" });
        assert.deepEqual(replaced.replaces, ["accountId"]);
    });

    it("GCP: a firewall is autonamed once, with GCP's id and self link", async () => {
        const type = "gcp:compute/firewall:Firewall";
        const first = await gcp.check!(urn(type, "vm-ssh"), {}, { network: "default", project: "p" });
        assert.match(String(first.inputs.name), /^vm-ssh-[0-9a-f]{7}$/);
        assert.equal(
            (await gcp.check!(urn(type, "vm-ssh"), first.inputs, { network: "default", project: "p" })).inputs.name,
            first.inputs.name,
        );
        const made = await gcp.create!(urn(type, "vm-ssh"), first.inputs);
        assert.equal(made.id, `projects/p/global/firewalls/${String(first.inputs.name)}`);
        assert.equal(made.outs.selfLink, `https://www.googleapis.com/compute/v1/${made.id}`);
    });

    it("Azure: a group is autonamed once; a new group or account when its name or location changes", async () => {
        const group = "azure-native:resources:ResourceGroup";
        const first = await azure.check!(urn(group, "data-rg"), {}, { location: "eastus" });
        assert.match(String(first.inputs.resourceGroupName), /^data-rg[0-9a-f]{8}$/);
        assert.equal(
            (await azure.check!(urn(group, "data-rg"), first.inputs, { location: "eastus" })).inputs.resourceGroupName,
            first.inputs.resourceGroupName,
        );
        const moved = await azure.diff!("g", urn(group, "data-rg"), first.inputs, { ...first.inputs, location: "westeurope" });
        assert.deepEqual(moved.replaces, ["location"]);
        const account = "azure-native:storage:StorageAccount";
        const olds = { accountName: "skyaaa", resourceGroupName: "g", location: "eastus", minimumTlsVersion: "TLS1_2" };
        assert.deepEqual((await azure.diff!("a", urn(account, "acc"), olds, { ...olds, accountName: "skybbb" })).replaces, ["accountName"]);
        assert.deepEqual(await azure.diff!("a", urn(account, "acc"), olds, { ...olds, minimumTlsVersion: "TLS1_3" }), {
            changes: true,
            replaces: [],
        });
        const badName = await azure.check!(urn(account, "acc"), {}, { ...olds, accountName: "Sky-Account" });
        assert.deepEqual(
            badName.failures?.map((f) => f.property),
            ["accountName"],
        );
    });

    it("Azure: an identity and a role assignment in ARM's formats, the assignment named by a GUID kept across checks", async () => {
        const identityType = "azure-native:managedidentity:UserAssignedIdentity";
        const identityInputs = (await azure.check!(urn(identityType, "vm-identity"), {}, { resourceGroupName: "g", location: "eastus" }))
            .inputs;
        const identity = await azure.create!(urn(identityType, "vm-identity"), identityInputs);
        assert.equal(
            identity.id,
            `/subscriptions/${SUBSCRIPTION}/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${String(identityInputs.resourceName)}`,
        );
        assert.match(String(identity.outs.principalId), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        const assignmentType = "azure-native:authorization:RoleAssignment";
        const scope = `/subscriptions/${SUBSCRIPTION}/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/skyaaa/blobServices/default/containers/c`;
        const given = { scope, principalId: identity.outs.principalId, roleDefinitionId: "r" };
        const checked = (await azure.check!(urn(assignmentType, "vm-blob"), {}, given)).inputs;
        assert.match(String(checked.roleAssignmentName), /^[0-9a-f-]{36}$/);
        assert.equal(
            (await azure.check!(urn(assignmentType, "vm-blob"), checked, given)).inputs.roleAssignmentName,
            checked.roleAssignmentName,
        );
        const assignment = await azure.create!(urn(assignmentType, "vm-blob"), checked);
        assert.equal(assignment.id, `${scope}/providers/Microsoft.Authorization/roleAssignments/${String(checked.roleAssignmentName)}`);
        assert.deepEqual(
            (await azure.diff!(assignment.id, urn(assignmentType, "vm-blob"), assignment.outs, { ...checked, roleDefinitionId: "w" }))
                .replaces,
            ["roleDefinitionId"],
        );
    });

    it("Azure: listStorageAccountKeys answers an account's keys in its own group only, and never records them", async () => {
        const keys: [string, string] = ["a2V5LW9uZQ==", "a2V5LXR3bw=="];
        const account = { keys, subscription: SUBSCRIPTION, resourceGroup: "g", location: "eastus", created: "2026-01-01T00:00:00Z" };
        writeFileSync(
            registryFile,
            JSON.stringify({ resourceGroups: { g: { subscription: SUBSCRIPTION, location: "eastus" } }, accounts: { skyaaa: account } }),
        );
        const token = "azure-native:storage:listStorageAccountKeys";
        const listed = await azure.invoke!(token, { accountName: "skyaaa", resourceGroupName: "g" });
        assert.deepEqual(
            (listed.outputs.keys as Array<{ keyName: string; value: string }>).map((k) => [k.keyName, k.value]),
            [
                ["key1", keys[0]],
                ["key2", keys[1]],
            ],
        );
        await assert.rejects(azure.invoke!(token, { accountName: "skyaaa", resourceGroupName: "other" }), /ResourceNotFound/);
        const recorded = readCalls(log).filter((c) => c.method === "invoke");
        assert.equal(recorded.length, 2);
        assert.doesNotMatch(JSON.stringify(recorded), new RegExp(`${keys[0]}|${keys[1]}`.replace(/[+=/]/g, ".")));
    });
});
