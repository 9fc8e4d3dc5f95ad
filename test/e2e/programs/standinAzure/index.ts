// SkyStorage on Azure Blob as a user writes it: a container name, no account, no key. The engine
// loads the Azure stand-in installed into the test's PULUMI_HOME (tools/standins/azure/), which makes
// the resource group, a storage account on the testbed's Azurite and the container, and lists the
// account's keys. A local source is synced only when the test gives one: skymount reaches the
// account at https://<account>.blob.core.windows.net, which the test's engine resolves to the testbed.
import * as pulumi from "@pulumi/pulumi";
import { SkyStorage } from "../../../../src";

const config = new pulumi.Config();
// skymount's default: persistent, retained on destroy.
const storage = new SkyStorage("data", { store: "azure", name: config.require("name"), source: config.get("source") });
const scratch = new SkyStorage("scratch", { store: "azure", name: config.require("scratch"), persistent: false });

export const bucket = storage.bucket;
export const syncSummaries = storage.syncSummaries;
// The accounts' names and keys, secret: the test signs requests with them to see what Azurite accepts.
export const credentials = storage.ref.credentials;
export const scratchCredentials = scratch.ref.credentials;
