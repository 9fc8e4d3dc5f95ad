// SkyStorage on Azurite through the azure block (an existing account's key), without volumes: one
// container filled from a local tree, and one filled by a server-side copy from a prefix of a third
// container of the same account. What drift on Azure is read from: AzureBlobContainer, BucketSync
// and BucketCopy.
import * as pulumi from "@pulumi/pulumi";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyStorage } from "../../../../src";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const azure = { storageAccountName: testbed.azure.account, endpoint: testbed.azure.endpoint, accountKey: pulumi.secret(testbed.azure.key) };

const data = new SkyStorage("data", { name: config.require("container"), source: config.require("sourceDir"), azure });
const copied = new SkyStorage("copied", {
    name: config.require("copied"),
    persistent: false,
    sources: [config.require("copyFrom")],
    azure,
});

export const summary = data.syncSummaries.apply((s) => s[0]);
export const copySummary = copied.copySummaries.apply((s) => s[0]);
