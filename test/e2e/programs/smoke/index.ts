// Smoke program: a remote command on every testbed host (or those named by config `hosts`), and an
// object written to the S3 server from the first host and read back from the last, with SigV4
// signatures and the keys sent over stdin.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { hostsNamed, loadTestbedInfo } from "../../../../tools/testbed/info";
import { RemoteCommand } from "../../../../src/remote";

const config = new pulumi.Config();
const bucket = config.require("bucket");
const objectKey = config.require("objectKey");
const payload = config.require("payload");
const runsFile = `/var/tmp/skymount-smoke-${bucket}.runs`;

const testbed = loadTestbedInfo();
const hosts = hostsNamed(testbed, config.get("hosts"));
const privateKey = readFileSync(testbed.hosts[0].privateKeyPath, "utf8");
const connectionTo = (host: (typeof testbed.hosts)[number]) => ({
    host: host.address,
    port: host.port,
    user: host.user,
    privateKey,
    hostKey: host.hostPublicKey,
});

// Each host records that the command ran, so the test can count runs across `pulumi up`s.
const hello = hosts.map(
    (host) =>
        new RemoteCommand(`hello-${host.name}`, {
            connection: connectionTo(host),
            create: `echo ran >> ${runsFile} && cat /etc/hostname-testhost`,
            delete: `rm -f ${runsFile}`,
        }),
);

// curl reads its credentials from stdin (-K -), so they never appear on a command line.
const curlCredentials = pulumi.secret(`user = "${testbed.s3.accessKey}:${testbed.s3.secretKey}"\n`);
const objectUrl = `${testbed.s3.endpoint}/${bucket}/${objectKey}`;
const sigv4 = `aws:amz:${testbed.s3.region}:s3`;
const curl = `curl -fsS --aws-sigv4 '${sigv4}' -K -`;

const put = new RemoteCommand("put-object", {
    connection: connectionTo(hosts[0]),
    stdin: curlCredentials,
    create: `printf '%s' '${payload}' > /var/tmp/smoke-${bucket} && ${curl} -T /var/tmp/smoke-${bucket} '${objectUrl}' && echo put`,
    delete: `${curl} -X DELETE '${objectUrl}' && rm -f /var/tmp/smoke-${bucket}`,
});

const reader = hosts[hosts.length - 1];
const get = new RemoteCommand(
    "get-object",
    {
        connection: connectionTo(reader),
        stdin: curlCredentials,
        create: `${curl} '${objectUrl}'`,
    },
    { dependsOn: [put] },
);

export const hostnames = hello.map((command) => command.stdout);
export const readBack = get.stdout;
export const readerHost = reader.name;
