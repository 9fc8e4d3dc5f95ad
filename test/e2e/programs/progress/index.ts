// Config `what`: "sync" fills bucket `bucket` from the directory `source` (SkyStorage on the testbed's
// S3 server; `persistent` as given); "command" runs `create` on the first testbed host with `stdin` (a secret) and `logging`.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyStorage } from "../../../../src";
import { RemoteCommand } from "../../../../src/remote";
import type { CommandLogging } from "../../../../src/remote";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();

if (config.require("what") === "sync") {
    const storage = new SkyStorage("storage", {
        name: config.require("bucket"),
        source: config.require("source"),
        persistent: config.getBoolean("persistent"),
        s3Compatible: {
            endpoint: testbed.s3.endpoint,
            region: testbed.s3.region,
            accessKey: testbed.s3.accessKey,
            secretKey: pulumi.secret(testbed.s3.secretKey),
        },
    });
    module.exports = { syncSummaries: storage.syncSummaries };
} else {
    const host = testbed.hosts[0];
    new RemoteCommand("command", {
        connection: {
            host: host.address,
            port: host.port,
            user: host.user,
            privateKey: readFileSync(host.privateKeyPath, "utf8"),
            hostKey: host.hostPublicKey,
            dialTimeoutSeconds: 20,
        },
        create: config.require("create"),
        stdin: config.requireSecret("stdin"),
        logging: config.get("logging") as CommandLogging | undefined,
    });
}
