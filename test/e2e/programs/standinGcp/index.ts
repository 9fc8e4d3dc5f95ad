// SkyStorage on Google Cloud Storage as a user writes it: a name, a project, no endpoint, no keys. The
// engine loads the GCP stand-in installed into the test's PULUMI_HOME (tools/standins/gcp/), which
// makes the bucket on the testbed's MinIO and its HMAC keys MinIO users whose policy the bucket IAM
// bindings give. A local source is synced only when the test gives one: skymount reaches GCS at
// https://<bucket>.storage.googleapis.com, which the test's engine resolves to the testbed.
import * as pulumi from "@pulumi/pulumi";
import { SkyStorage } from "../../../../src";

const config = new pulumi.Config();
const gcp = { project: config.require("project") };
// skymount's default: persistent, retained on destroy.
const storage = new SkyStorage("data", { store: "gcs", name: config.require("name"), source: config.get("source"), gcp });
const scratch = new SkyStorage("scratch", { store: "gcs", name: config.require("scratch"), persistent: false, gcp });

export const bucket = storage.bucket;
export const syncSummaries = storage.syncSummaries;
// The HMAC keys (writer and reader), secret: the test signs requests with them to see what the server allows.
export const writerKeys = storage.ref.credentials;
export const readerKeys = storage.readOnlyRef.credentials;
export const scratchWriterKeys = scratch.ref.credentials;
