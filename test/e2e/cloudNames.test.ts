// The clouds' own names on the testbed (tools/testbed/cloudNames.ts), without the engine: a process under
// tools/testbed/with-cloud-names.sh resolves them to the testbed and trusts its CA while this machine's
// resolv.conf stays as it is, and the network namespaces it adds are this machine's; signedPut.ts's fast path reaches a bucket at AWS's virtual-hosted name and
// at GCS's (signed for us-central1, as skymount signs a GCS bucket's requests); a host resolves the
// served names, refuses the rest of the clouds' domains, and reaches MinIO or Azurite by name over TLS.
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { repoRoot } from "../../tools/testbed/info";
import { PREFIX } from "../../tools/testbed/network";
import { namesReached } from "./support/cloudNames";
import type { ProbePut } from "./support/signedPutProbe";
import { onHost, requireTestbed, s3ClientFor, uniqueName } from "./support/testbed";

const WRAPPER = path.join(repoRoot, "tools", "testbed", "with-cloud-names.sh");
const PROBE = path.join(__dirname, "support", "signedPutProbe.ts");

describe("the clouds' own names on the testbed", () => {
    const testbed = requireTestbed();
    const s3 = s3ClientFor(testbed);
    const buckets = [uniqueName("names-aws"), uniqueName("names-gcs")];
    const underWrapper = (args: string[], env: Record<string, string> = {}) =>
        execFileSync(WRAPPER, args, { encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });

    before(async () => {
        for (const bucket of buckets) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    });

    after(async () => {
        for (const bucket of buckets) {
            await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "probe.txt" })).catch(() => undefined);
            await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
        }
        s3.destroy();
    });

    it("with-cloud-names.sh gives its command the testbed's resolver and CA; this machine keeps its resolv.conf", () => {
        const before = readFileSync("/etc/resolv.conf", "utf8");
        assert.equal(underWrapper(["cat", "/etc/resolv.conf"]), readFileSync(testbed.cloudNames.resolvConf, "utf8"));
        assert.equal(underWrapper(["sh", "-c", 'echo "$NODE_EXTRA_CA_CERTS"']).trim(), testbed.cloudNames.ca);
        assert.equal(underWrapper(["getent", "hosts", "bucket.s3.us-east-1.amazonaws.com"]).split(/\s+/)[0], testbed.cloudNames.resolver);
        assert.equal(readFileSync("/etc/resolv.conf", "utf8"), before);
    });

    it("a network namespace added under with-cloud-names.sh is this machine's too, as a stand-in's VM must be", () => {
        // Under a private /run/netns the name would be left here as an empty file that enters nothing.
        const ns = `${PREFIX}-wrapns`;
        try {
            underWrapper(["ip", "netns", "add", ns]);
            execFileSync("ip", ["netns", "exec", ns, "true"], { stdio: "pipe" });
        } finally {
            execFileSync("ip", ["netns", "del", ns], { stdio: "ignore" });
        }
    });

    it("signedPut.ts puts at AWS's virtual-hosted name (built from the region) and at GCS's, signed for us-central1", async () => {
        const keys = { PROBE_ACCESS_KEY: testbed.s3.accessKey, PROBE_SECRET_KEY: testbed.s3.secretKey };
        const puts: ProbePut[] = [
            { bucket: buckets[0], key: "probe.txt", region: "us-east-1" },
            { bucket: buckets[1], key: "probe.txt", region: "us-central1", endpoint: "https://storage.googleapis.com" },
        ];
        underWrapper([process.execPath, "--import", "tsx", PROBE, JSON.stringify(puts)], keys);
        for (const bucket of buckets) {
            const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "probe.txt" }));
            assert.equal(await got.Body!.transformToString(), `put by signedPut.ts to ${bucket}\n`);
        }
        const reached = namesReached(testbed);
        assert.ok(reached.includes(`${buckets[0]}.s3.us-east-1.amazonaws.com`), reached.join(" "));
        assert.ok(reached.includes(`${buckets[1]}.storage.googleapis.com`), reached.join(" "));
    });

    it("a host resolves the served names, refuses the rest of the clouds' domains, and reaches each server over TLS", async () => {
        const host = testbed.hosts[0];
        const resolved = await onHost(host, "getent hosts b.s3.us-east-1.amazonaws.com b.storage.googleapis.com a.blob.core.windows.net");
        assert.deepEqual(
            resolved.split("\n").map((line) => line.split(/\s+/)[0]),
            [testbed.cloudNames.resolver, testbed.cloudNames.resolver, testbed.cloudNames.resolver],
        );
        const refused = await onHost(
            host,
            "for n in b.s3.ap-south-2.amazonaws.com sts.amazonaws.com a.queue.core.windows.net; do getent hosts $n || echo refused; done",
        );
        assert.equal(refused, "refused\nrefused\nrefused");
        // Unsigned requests: each server says who it is; curl checks the certificate against the host's trust store.
        const server = (url: string) => onHost(host, `curl -sS -o /dev/null -D - ${url} | grep -i '^server:'`);
        assert.match(await server(`https://${buckets[0]}.s3.us-east-1.amazonaws.com/`), /MinIO/);
        assert.match(await server(`https://${buckets[1]}.storage.googleapis.com/`), /MinIO/);
        assert.match(await server(`https://${testbed.azure.account}.blob.core.windows.net/?comp=list`), /Azurite/);
    });
});
