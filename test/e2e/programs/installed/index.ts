// skymount as npm users get it: `import ... from "skymount"` resolves to the package installed in
// this program's node_modules (the test unpacks `npm pack` there). Pulumi serializes the dynamic
// providers' references into an installed package as `require("skymount/dist/...")`; the other test
// programs import the sources, which their providers require by path.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { SkyStorage, SkyVolume } from "skymount";
import { loadTestbedInfo } from "../../../../tools/testbed/info";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const host = testbed.hosts[0];

const storage = new SkyStorage("data", {
    name: config.require("bucket"),
    source: config.require("source"),
    records: config.get("records"),
    persistent: false,
    s3Compatible: {
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        accessKey: testbed.s3.accessKey,
        secretKey: pulumi.secret(testbed.s3.secretKey),
    },
});

// Without `mount`, the storage alone (the state-size guard, syncState.test.ts).
const mount = config.get("mount");
const volume =
    mount === undefined
        ? undefined
        : new SkyVolume("vol", {
              hosts: [
                  {
                      name: host.name,
                      host: host.address,
                      port: host.port,
                      user: host.user,
                      privateKey: pulumi.secret(readFileSync(host.privateKeyPath, "utf8")),
                      hostKey: host.hostPublicKey,
                  },
              ],
              volumes: [{ storage: storage.readOnlyRef, mount }],
              geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256 },
              aptSource: testbed.mirror.aptSource,
          });

export const mounted = volume?.mounted ?? [];
export const syncSummaries = storage.syncSummaries;
