// The data-path benchmark's program: one SkyVolume on the testbed's first host with a volume per mode
// (MOUNT, MOUNT_CACHED) and per access (read-only, read-write), each on a bucket of its own (a bucket
// has one FUSE mount per host, and so one mode and one set of flags). The benchmark reads each mount's
// geesefs flags from the host's fstab and runs them on its data. skymount is imported as npm users
// get it (bench/mount.ts installs the packed package, as for programs/mount).
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { loadTestbedInfo } from "../../../tools/testbed/info";
import { SkyVolume } from "skymount";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const host = testbed.hosts[0];
const storageOf = (bucket: string) => ({
    bucket,
    endpoint: testbed.s3.endpoint,
    region: testbed.s3.region,
    pathStyle: true,
    credentials: pulumi.secret({ accessKey: testbed.s3.accessKey, secretKey: testbed.s3.secretKey }),
});
const prefix = config.require("bucketPrefix");
const volumes = (["MOUNT", "MOUNT_CACHED"] as const).flatMap((mode) =>
    [true, false].map((readOnly) => {
        const name = `${mode === "MOUNT" ? "mount" : "cached"}-${readOnly ? "ro" : "rw"}`;
        return { storage: storageOf(`${prefix}-${name}`), mount: `/bench/${name}`, readOnly, mode };
    }),
);
new SkyVolume("bench-data", {
    hosts: [
        {
            name: host.name,
            host: host.address,
            port: host.port,
            user: host.user,
            privateKey: readFileSync(host.privateKeyPath, "utf8"),
            hostKey: host.hostPublicKey,
        },
    ],
    volumes,
    geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256 },
    aptSource: testbed.mirror.aptSource,
});
