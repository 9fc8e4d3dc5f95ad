// The contract between the testbed and everything that uses it (tests, demo, benchmarks):
// the shape of .testbed/testbed.json and where it lives (.testbed-<name>/ for SKYMOUNT_TESTBED=<name>).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { testbedInstance } from "./instance";

export const repoRoot = path.resolve(__dirname, "..", "..");
/** The testbed instance this process uses: the default one unless SKYMOUNT_TESTBED names another. */
export const instance = testbedInstance(process.env.SKYMOUNT_TESTBED ?? "", repoRoot);
export const testbedDir = instance.dir;
export const testbedInfoPath = path.join(testbedDir, "testbed.json");

/** The S3-compatible server (MinIO, which verifies SigV4 signatures). */
export interface TestbedS3 {
    endpoint: string;
    region: string;
    accessKey: string;
    secretKey: string;
    pathStyle: boolean;
}

/** What a host runs as its first process: sshd itself ("none"), or systemd, which starts sshd. */
export type HostInit = "none" | "systemd";

/** One SSH test host: a network namespace with its own overlay root and sshd. */
export interface TestbedHost {
    name: string;
    init: HostInit;
    /** The network namespace the host lives in (for nsenter-free inspection use SSH). */
    netns: string;
    address: string;
    port: number;
    user: string;
    privateKeyPath: string;
    /** The host's public key line ("ssh-ed25519 AAAA…"), for host-key verification. */
    hostPublicKey: string;
}

/** The local release mirror that stands in for download sites the hosts cannot reach. */
export interface TestbedMirror {
    baseUrl: string;
    geesefs: { version: string; url: string; sha256: string };
    /** An apt source line serving fuse3 to hosts that have no route to Debian. */
    aptSource: string;
}

/** The Azure Blob service (Azurite, which verifies SharedKey signatures). */
export interface TestbedAzure {
    /** The blob service endpoint, production-style: http://<account>.blob.skym.test:10000 (default instance). */
    endpoint: string;
    account: string;
    /** The account key (base64), as Azure hands it out. */
    key: string;
    /** The address the endpoint's host name resolves to (on this machine and on every host). */
    address: string;
    /** The storage accounts the Azure stand-in added to Azurite (tools/testbed/azuriteAccounts.ts), with their keys. */
    accountsFile: string;
}

/** The clouds' own endpoint names (s3.<region>.amazonaws.com, storage.googleapis.com,
 *  <account>.blob.core.windows.net), answered by the testbed for tests only (cloudNames.ts). */
export interface TestbedCloudNames {
    /** The DNS server's address (the bridge's): every host's resolver, and with-cloud-names.sh's. */
    resolver: string;
    /** A resolv.conf naming only that server. */
    resolvConf: string;
    /** The testbed CA's certificate (PEM): in every host's trust store, and NODE_EXTRA_CA_CERTS here. */
    ca: string;
    /** This machine's CAs and the testbed's, for clients that replace their trust store (SSL_CERT_FILE). */
    caBundle: string;
    /** address:port of the TLS front, which serves every name by SNI. */
    tlsFront: string;
    /** The AWS regions whose S3 endpoints answer; other amazonaws.com names do not resolve. */
    s3Regions: string[];
}

export interface TestbedInfo {
    createdAt: string;
    s3: TestbedS3;
    azure: TestbedAzure;
    /** The hosts every end-to-end test uses (h1, h2, …): without an init system unless `up --init systemd`. */
    hosts: TestbedHost[];
    /** Hosts that boot systemd as PID 1 (s1, s2, …), in their own PID, mount, UTS and IPC namespaces. */
    systemdHosts: TestbedHost[];
    mirror: TestbedMirror;
    cloudNames: TestbedCloudNames;
}

/** Reads .testbed/testbed.json; fails with the command to run when the testbed is not up. */
export function loadTestbedInfo(file = testbedInfoPath): TestbedInfo {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch {
        const named = instance.name ? `SKYMOUNT_TESTBED=${instance.name} ` : "";
        throw new Error(`${file} not found: start the testbed with \`${named}npm run testbed -- up\``);
    }
    return JSON.parse(text) as TestbedInfo;
}

/** The hosts a test program runs on: `names` (comma-separated, from either list, e.g. "h1,s1"), or the
 *  testbed's `hosts` when not given, so one program serves each kind of host. */
export function hostsNamed(info: TestbedInfo, names: string | undefined): TestbedHost[] {
    if (names === undefined) return info.hosts;
    const all = [...info.hosts, ...info.systemdHosts];
    return names.split(",").map((name) => {
        const host = all.find((h) => h.name === name);
        if (!host) throw new Error(`no testbed host ${name} (the testbed has ${all.map((h) => h.name).join(", ")})`);
        return host;
    });
}
