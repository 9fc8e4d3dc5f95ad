// The processes and files that make the clouds' names answer on the testbed (cloudNames.ts says which):
// the CA and certificate (testbedCa.ts), a DNS server (dnsmasq) and the TLS front (tlsFront.ts), both on
// the bridge address, found again by `down` from their command lines as MinIO is.
import * as dns from "node:dns";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as tls from "node:tls";
import { CLOUD_NAME_ROUTES, certificateNames, dnsmasqConfig, resolvConf, S3_REGIONS, TLS_FRONT_PORT, TlsFrontConfig } from "./cloudNames";
import { repoRoot, TestbedCloudNames } from "./info";
import { mentionsAddress } from "./instance";
import { requireTool, startDaemon } from "./processes";
import { makeTestbedCa } from "./testbedCa";

const DNSMASQ = "/usr/sbin/dnsmasq";
const TLS_FRONT_MAIN = path.join(repoRoot, "tools", "testbed", "tlsFront.ts");

/** Whether a command line is this instance's DNS server or TLS front (bound to `address`). */
export function isCloudNamesServer(cmdline: string, address: string): boolean {
    return mentionsAddress(cmdline, address) && (cmdline.includes(TLS_FRONT_MAIN) || /\bdnsmasq\b/.test(cmdline));
}

/** Makes the CA and starts the DNS server and the TLS front on `address`, their files in `dir`. */
export function startCloudNames(dir: string, address: string, label: string, backends: TlsFrontConfig["backends"]): TestbedCloudNames {
    const dnsmasq = requireTool(DNSMASQ, "run `npm run setup` (dnsmasq-base)");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const ca = makeTestbedCa(dir, certificateNames(), label);
    const file = (name: string, text: string) => {
        writeFileSync(path.join(dir, name), text);
        return path.join(dir, name);
    };
    const dnsConfig = file("dnsmasq.conf", dnsmasqConfig(address, "/etc/resolv.conf"));
    // In the foreground, as a daemon of ours; the address on the command line is how `down` finds it.
    startDaemon(
        dnsmasq,
        ["--keep-in-foreground", `--conf-file=${dnsConfig}`, `--listen-address=${address}`],
        path.join(dir, "dnsmasq.log"),
    );
    const frontConfig: TlsFrontConfig = { cert: ca.cert, key: ca.key, backends };
    startDaemon(
        process.execPath,
        ["--import", "tsx", TLS_FRONT_MAIN, address, file("tls-front.json", JSON.stringify(frontConfig, null, 2) + "\n")],
        path.join(dir, "tls-front.log"),
    );
    return {
        resolver: address,
        resolvConf: file("resolv.conf", resolvConf(address)),
        ca: ca.ca,
        caBundle: ca.bundle,
        tlsFront: `${address}:${TLS_FRONT_PORT}`,
        s3Regions: [...S3_REGIONS],
    };
}

/** What the DNS server answers for `name` (its A records), or the error's code. */
export async function resolveThrough(resolver: string, name: string): Promise<string[] | string> {
    const r = new dns.promises.Resolver({ timeout: 2000, tries: 1 });
    r.setServers([resolver]);
    return r.resolve4(name).catch((err: NodeJS.ErrnoException) => err.code ?? err.message);
}

/** Whether the TLS front completes a handshake for `name` with a certificate the testbed CA vouches for. */
export function tlsHandshake(names: TestbedCloudNames, name: string, ca: string): Promise<boolean> {
    const [host, port] = names.tlsFront.split(":");
    return new Promise((resolve) => {
        const socket = tls.connect({ host, port: Number(port), servername: name, ca, timeout: 3000 }, () => {
            // Ended, not destroyed: the front would log a handshake cut short.
            socket.end();
            resolve(true);
        });
        socket.on("error", () => resolve(false));
        socket.on("timeout", () => {
            socket.destroy();
            resolve(false);
        });
    });
}

/** One name per served domain: what `up` waits for and `status` checks. */
export function probeNames(): string[] {
    return CLOUD_NAME_ROUTES.map((route) => `probe.${route.domain}`);
}

/** Why the clouds' names do not answer (a name the DNS server or the TLS front fails), or undefined when they do. */
export async function cloudNamesAnswer(cloudNames: TestbedCloudNames): Promise<string | undefined> {
    const ca = readFileSync(cloudNames.ca, "utf8");
    for (const name of probeNames()) {
        const answer = await resolveThrough(cloudNames.resolver, name);
        if (!Array.isArray(answer) || answer[0] !== cloudNames.resolver) return `DNS ${cloudNames.resolver}: ${name}: ${String(answer)}`;
        if (!(await tlsHandshake(cloudNames, name, ca))) return `TLS front ${cloudNames.tlsFront}: ${name}: no handshake`;
    }
    return undefined;
}

export async function waitForCloudNames(cloudNames: TestbedCloudNames): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
        const failure = await cloudNamesAnswer(cloudNames);
        if (failure === undefined) return;
        if (Date.now() > deadline) throw new Error(`testbed: the clouds' names do not answer: ${failure}`);
        await new Promise((r) => setTimeout(r, 200));
    }
}
