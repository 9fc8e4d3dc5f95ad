// One small sync, with skymount reached the way config `skymount` says: "skymount" (a `file:`
// dependency or a workspace link in node_modules), or a path import of the checkout's sources or its
// dist. The test copies this folder out of the repository for the layouts that need their own
// node_modules, so everything else comes from config (`sources`, a bucket URI, makes it a copy).
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module under test is configured
const { SkyStorage } = require(config.require("skymount")) as typeof import("../../../../src");

const storage = new SkyStorage("data", {
    name: config.require("bucket"),
    source: config.get("source"),
    sources: config.getObject<string[]>("sources"),
    persistent: false,
    s3Compatible: {
        endpoint: config.require("endpoint"),
        region: config.require("region"),
        accessKey: config.require("accessKey"),
        secretKey: config.requireSecret("secretKey"),
    },
});

export const syncSummaries = storage.syncSummaries;
