// The testbed's answers for the clouds' names (tools/testbed/cloudNames.ts): which server each name
// reaches through the TLS front, what the DNS server answers and refuses, what the certificate
// covers, and that the certificate openssl makes is one a client accepts for those names.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { checkServerIdentity, PeerCertificate } from "node:tls";
import { X509Certificate } from "node:crypto";
import { test } from "node:test";
import { certificateNames, dnsmasqConfig, minioDomains, serviceFor } from "../../tools/testbed/cloudNames";
import { makeTestbedCa } from "../../tools/testbed/testbedCa";

test("the TLS front sends each cloud name to its server, and no other name anywhere", () => {
    const cases: [string | undefined, string | undefined][] = [
        ["s3.us-east-1.amazonaws.com", "s3"],
        ["my-bucket.s3.us-east-1.amazonaws.com", "s3"],
        ["MY-BUCKET.S3.US-WEST-2.AMAZONAWS.COM.", "s3"],
        ["storage.googleapis.com", "s3"],
        ["my-bucket.storage.googleapis.com", "s3"],
        ["skymount.blob.core.windows.net", "azureBlob"],
        ["blob.core.windows.net", "azureBlob"],
        // A region the testbed does not serve, a look-alike suffix, another AWS service, no SNI.
        ["bucket.s3.ap-south-2.amazonaws.com", undefined],
        ["evil-s3.us-east-1.amazonaws.com", undefined],
        ["sts.amazonaws.com", undefined],
        ["xstorage.googleapis.com", undefined],
        [undefined, undefined],
    ];
    for (const [name, service] of cases) assert.equal(serviceFor(name), service, String(name));
});

test("MinIO serves virtual hosts under every S3 and GCS name, not Azure's", () => {
    assert.equal(minioDomains(), "s3.us-east-1.amazonaws.com,s3.us-west-2.amazonaws.com,s3.eu-west-1.amazonaws.com,storage.googleapis.com");
});

test("the DNS server answers the served names, refuses the rest of the clouds' domains, forwards the others", () => {
    const lines = dnsmasqConfig("10.9.0.1", "/etc/resolv.conf").split("\n");
    for (const line of [
        "listen-address=10.9.0.1",
        "bind-interfaces",
        "resolv-file=/etc/resolv.conf",
        "address=/amazonaws.com/",
        "address=/googleapis.com/",
        "address=/windows.net/",
        "address=/s3.us-east-1.amazonaws.com/10.9.0.1",
        "address=/storage.googleapis.com/10.9.0.1",
        "address=/blob.core.windows.net/10.9.0.1",
    ])
        assert.ok(lines.includes(line), line);
    assert.ok(!lines.some((line) => line.startsWith("server=")), "every other name goes to the resolvers of resolv-file");
});

test("the CA signs a certificate a client accepts for every served name (one wildcard label), keys 0600", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "skymount-testbed-ca-"));
    try {
        const files = makeTestbedCa(dir, certificateNames(), "unit");
        const ca = new X509Certificate(readFileSync(files.ca));
        const cert = new X509Certificate(readFileSync(files.cert));
        assert.ok(cert.verify(ca.publicKey), "the certificate is the CA's");
        assert.ok(ca.ca && !cert.ca);
        const peer = { subject: {}, subjectaltname: cert.subjectAltName } as PeerCertificate;
        for (const name of [
            "s3.us-east-1.amazonaws.com",
            "bucket.s3.us-east-1.amazonaws.com",
            "bucket.s3.eu-west-1.amazonaws.com",
            "storage.googleapis.com",
            "bucket.storage.googleapis.com",
            "skymount.blob.core.windows.net",
        ])
            assert.equal(checkServerIdentity(name, peer), undefined, name);
        for (const name of ["a.b.s3.us-east-1.amazonaws.com", "sts.amazonaws.com", "s3.ap-south-2.amazonaws.com"])
            assert.ok(checkServerIdentity(name, peer) instanceof Error, name);
        for (const key of [files.key, path.join(dir, "ca.key")]) assert.equal(statSync(key).mode & 0o777, 0o600, key);
        assert.ok(readFileSync(files.bundle, "utf8").endsWith(readFileSync(files.ca, "utf8")));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
