// A local stand-in for a cloud: an S3 server that checks signatures, SSH hosts in network
// namespaces with overlay roots, and a release mirror for what the hosts would download.
//
// Everything it makes carries the instance's prefix ("skym" by default: namespaces, links), is bound
// to its bridge address (servers) or lives under its directory (.testbed/ by default), so `down`, and
// an `up` after a crash, can find and remove it without any state file. SKYMOUNT_TESTBED=<name> works
// on another instance (instance.ts) with its own prefix, subnet and directory, which neither touches.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { addHostsLine, AZURITE_PORT, hostsLine, isTestbedAzurite, removeHostsLines, startAzurite, waitForAzurite } from "./azurite";
import { minioDomains } from "./cloudNames";
import { cloudNamesAnswer, isCloudNamesServer, startCloudNames, waitForCloudNames } from "./cloudNamesServers";
import { startHost, hostLog, sshRun } from "./hosts";
import { HostInit, TestbedInfo, testbedDir, testbedInfoPath } from "./info";
import { mentionsAddress } from "./instance";
import { MIRROR_PORT, prepareMirror } from "./mirror";
import { binDir, BRIDGE, GATEWAY, PREFIX } from "./network";
import { killAll, processCommandLine, requireTool, run, startDaemon, waitForHttp, waitForPort } from "./processes";
import { disksUnder, namespaceInits, removeHostCgroups } from "./systemdHost";
import { readPinnedVersions } from "./versions";

const S3_PORT = 9000;
const REGION = "us-east-1";
/** A systemd host runs systemd, journald, logind and dbus besides sshd: about 40 MiB each, idle. */
const MAX_SYSTEMD_HOSTS = 16;
/** Addresses .11 to .74 of the /24. An idle host (sshd in its namespace, overlay root on tmpfs) costs a
 *  few MiB; a mounted one adds its geesefs (tens of MiB idle): 32 hosts are measured in bench/README.md. */
const MAX_HOSTS = 64;

/** Pids of this instance's servers (MinIO, Azurite, the mirror, DNS, the TLS front), found by its bridge address, from any checkout. */
function testbedServerProcesses(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const cmdline = processCommandLine(Number(entry));
        if (mentionsAddress(cmdline, GATEWAY) && /\bminio server\b|\bhttp\.server\b/.test(cmdline)) pids.push(Number(entry));
        else if (isTestbedAzurite(cmdline, GATEWAY) || isCloudNamesServer(cmdline, GATEWAY)) pids.push(Number(entry));
    }
    return pids;
}

function ourNamespaces(): string[] {
    return run("ip", ["netns", "list"], { allowFailure: true })
        .split("\n")
        .map((line) => line.split(" ")[0])
        .filter((name) => name.startsWith(`${PREFIX}-`));
}

/** Removes everything a previous `up` made, whether it finished, crashed or was half torn down. */
export async function down(log: (line: string) => void = console.log): Promise<void> {
    for (const ns of ourNamespaces()) {
        // Killing every process in the namespace (sshd, its sessions, FUSE daemons) lets the kernel
        // drop the host's private mount namespace with its overlay root and FUSE mounts. A systemd
        // host's init goes first (its PID namespace with it); its power script may have booted it again
        // meanwhile, so until none is left.
        let killed = 0;
        for (let round = 0; round < 5; round++) {
            const pids = run("ip", ["netns", "pids", ns], { allowFailure: true }).split("\n").filter(Boolean).map(Number);
            if (pids.length === 0) break;
            for (const init of namespaceInits(pids)) process.kill(init, "SIGKILL");
            await killAll(pids);
            killed += pids.length;
        }
        run("ip", ["netns", "del", ns], { allowFailure: true });
        log(`testbed: removed host ${ns} (${killed} processes)`);
    }
    for (const disk of disksUnder(testbedDir)) run("umount", [disk]);
    const cgroups = removeHostCgroups(PREFIX);
    if (cgroups > 0) log(`testbed: removed ${cgroups} cgroups of systemd hosts`);
    const daemons = testbedServerProcesses();
    await killAll(daemons);
    if (daemons.length > 0) log(`testbed: stopped ${daemons.length} server processes`);
    removeHostsLines("/etc/hosts");
    for (const link of run("ip", ["-o", "link", "show"], { allowFailure: true }).split("\n")) {
        const name = /^\d+: ([^:@]+)/.exec(link)?.[1];
        if (name?.startsWith(`${PREFIX}-`)) run("ip", ["link", "del", name], { allowFailure: true });
    }
    if (existsSync(testbedDir)) rmSync(testbedDir, { recursive: true, force: true });
    log("testbed: down");
}

export interface UpOptions {
    /** The hosts every end-to-end test uses (h1, h2, …): without an init system (sshd is their first
     *  process) unless `init` is "systemd", which runs any test on hosts that boot systemd. */
    hosts: number;
    init?: HostInit;
    /** Hosts that boot systemd as PID 1 (s1, s2, …; systemdHost.ts). */
    systemdHosts?: number;
}

export async function up(options: UpOptions, log: (line: string) => void = console.log): Promise<TestbedInfo> {
    if (!Number.isInteger(options.hosts) || options.hosts < 1 || options.hosts > MAX_HOSTS) {
        throw new Error(`--hosts: ${options.hosts}: must be a whole number from 1 to ${MAX_HOSTS}`);
    }
    const systemdCount = options.systemdHosts ?? 0;
    if (!Number.isInteger(systemdCount) || systemdCount < 0 || systemdCount > MAX_SYSTEMD_HOSTS) {
        throw new Error(`--systemd-hosts: ${systemdCount}: must be a whole number from 0 to ${MAX_SYSTEMD_HOSTS}`);
    }
    if (process.getuid?.() !== 0) throw new Error("the testbed needs root (network namespaces, mounts)");
    const started = Date.now();
    await down(() => undefined);
    const versions = readPinnedVersions();
    const minio = requireTool(path.join(binDir, "minio"), "run `npm run setup`");
    requireTool("/usr/sbin/sshd", "run `npm run setup` (openssh-server)");
    // Two instances whose names hash to one subnet would share a bridge address: refuse the second.
    const holder = run("ip", ["-o", "addr", "show"], { allowFailure: true })
        .split("\n")
        .find((line) => line.includes(` ${GATEWAY}/`));
    if (holder)
        throw new Error(`testbed: ${GATEWAY} is already on another link (${holder.split(/\s+/)[1]}): pick another SKYMOUNT_TESTBED name`);
    mkdirSync(testbedDir, { recursive: true, mode: 0o700 });

    // Network: one bridge in the root namespace; every host hangs off it by a veth pair.
    run("ip", ["link", "add", BRIDGE, "type", "bridge"]);
    run("ip", ["addr", "add", `${GATEWAY}/24`, "dev", BRIDGE]);
    run("ip", ["link", "set", BRIDGE, "up"]);

    // S3 server: MinIO on the bridge address, so hosts and this machine reach the same endpoint. No
    // MINIO_REGION: it then takes a signature for any region, as one server for every region and for
    // GCS (cloudNames.ts); MINIO_DOMAIN: virtual-hosted requests under the clouds' names.
    const s3 = {
        endpoint: `http://${GATEWAY}:${S3_PORT}`,
        region: REGION,
        accessKey: `SKY${randomBytes(8).toString("hex").toUpperCase()}`,
        secretKey: randomBytes(24).toString("base64url"),
        pathStyle: true,
    };
    const minioDir = path.join(testbedDir, "minio");
    mkdirSync(path.join(minioDir, "data"), { recursive: true });
    startDaemon(
        minio,
        [
            "server",
            path.join(minioDir, "data"),
            "--address",
            `${GATEWAY}:${S3_PORT}`,
            "--console-address",
            `${GATEWAY}:${S3_PORT + 1}`,
            "--quiet",
        ],
        path.join(minioDir, "minio.log"),
        { MINIO_ROOT_USER: s3.accessKey, MINIO_ROOT_PASSWORD: s3.secretKey, MINIO_DOMAIN: minioDomains(), MINIO_BROWSER: "off" },
    );

    // Azure Blob service: Azurite on the bridge address, its endpoint's name in /etc/hosts here.
    const azure = startAzurite(path.join(testbedDir, "azurite"), GATEWAY);
    addHostsLine("/etc/hosts", azure);

    // The clouds' own names, for tests: a DNS server and a TLS front on the bridge address, and a CA.
    const cloudNames = startCloudNames(path.join(testbedDir, "cloud-names"), GATEWAY, PREFIX, {
        s3: { host: GATEWAY, port: S3_PORT },
        azureBlob: { host: GATEWAY, port: AZURITE_PORT },
    });

    // Release mirror and apt source, served over plain HTTP on the bridge address.
    const mirrorDir = path.join(testbedDir, "mirror");
    const mirror = prepareMirror(mirrorDir, versions.GEESEFS_VERSION);
    startDaemon(
        "python3",
        ["-m", "http.server", String(MIRROR_PORT), "--bind", GATEWAY, "--directory", mirrorDir],
        path.join(testbedDir, "mirror.log"),
    );

    // SSH hosts.
    const keysDir = path.join(testbedDir, "keys");
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    const clientKey = path.join(keysDir, "client_ed25519");
    run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "skymount-testbed", "-f", clientKey]);
    const prepared = { clientKey, aptSource: mirror.aptSource, extraHostsLine: hostsLine(azure), cloudNames };
    const hosts = Array.from({ length: options.hosts }, (_, i) => startHost(i, "hosts", options.init ?? "none", prepared));
    const systemdHosts = Array.from({ length: options.systemdHosts ?? 0 }, (_, i) => startHost(i, "systemdHosts", "systemd", prepared));

    await waitForHttp(`${s3.endpoint}/minio/health/ready`, 30_000);
    await waitForHttp(`${mirror.geesefs.url}.sha256`, 10_000);
    await waitForAzurite(azure, 30_000);
    await waitForCloudNames(cloudNames);
    for (const host of [...hosts, ...systemdHosts]) {
        const logFile = hostLog(host);
        const failed = (why: string) =>
            new Error(`testbed: host ${host.name} (${host.address}): ${why}; ${logFile} says:\n${readFileSync(logFile, "utf8").trim()}`);
        // A systemd host's sshd starts once systemd has booted to it.
        await waitForPort(host.address, host.port, host.init === "systemd" ? 60_000 : 20_000).catch((err: Error) => {
            throw failed(err.message);
        });
        if (sshRun(host, "cat /etc/hostname-testhost") === undefined) throw failed("ssh login failed");
        if (host.init === "systemd") {
            const state = sshRun(host, "timeout 60 systemctl is-system-running --wait; systemctl --failed --no-legend --plain")?.trim();
            if (state !== "running") throw failed(`systemd did not boot to "running": ${state}`);
        }
    }

    const info: TestbedInfo = { createdAt: new Date().toISOString(), s3, azure, hosts, systemdHosts, mirror, cloudNames };
    writeFileSync(testbedInfoPath, JSON.stringify(info, null, 2) + "\n", { mode: 0o600 });
    log(
        `testbed: up in ${((Date.now() - started) / 1000).toFixed(1)} s: S3 ${s3.endpoint}, Azure Blob ${azure.endpoint}, the clouds' names on DNS ${cloudNames.resolver} and TLS ${cloudNames.tlsFront}, mirror ${mirror.baseUrl}, hosts ${[...hosts, ...systemdHosts].map((h) => `${h.name}=${h.address}`).join(" ")}`,
    );
    log(`testbed: details in ${testbedInfoPath}`);
    return info;
}

export interface TestbedStatus {
    healthy: boolean;
    lines: string[];
}

export async function status(): Promise<TestbedStatus> {
    if (!existsSync(testbedInfoPath)) {
        const leftovers = ourNamespaces();
        return {
            healthy: false,
            lines: [leftovers.length ? `testbed: not up, but ${leftovers.join(", ")} remain (run down)` : "testbed: not up"],
        };
    }
    const info = JSON.parse(readFileSync(testbedInfoPath, "utf8")) as TestbedInfo;
    const lines: string[] = [];
    let healthy = true;
    const check = async (label: string, probe: () => Promise<boolean> | boolean) => {
        const ok = await probe();
        healthy &&= ok;
        lines.push(`${ok ? "ok  " : "FAIL"} ${label}`);
    };
    await check(
        `S3 ${info.s3.endpoint}`,
        async () => (await fetch(`${info.s3.endpoint}/minio/health/ready`).catch(() => undefined))?.ok === true,
    );
    await check(
        `Azure Blob ${info.azure.endpoint}`,
        async () => (await fetch(`${info.azure.endpoint}/?comp=list`).catch(() => undefined)) !== undefined,
    );
    await check(
        `DNS ${info.cloudNames.resolver} and TLS front ${info.cloudNames.tlsFront} (the clouds' names, CA ${info.cloudNames.ca})`,
        async () => (await cloudNamesAnswer(info.cloudNames)) === undefined,
    );
    await check(
        `mirror ${info.mirror.baseUrl}`,
        async () => (await fetch(`${info.mirror.geesefs.url}.sha256`).catch(() => undefined))?.ok === true,
    );
    for (const host of [...info.hosts, ...info.systemdHosts]) {
        const probe = host.init === "systemd" ? "systemctl is-system-running" : "cat /etc/hostname-testhost";
        const label = `host ${host.name} ${host.user}@${host.address}:${host.port}${host.init === "systemd" ? " (systemd)" : ""}`;
        await check(label, () => {
            const answer = sshRun(host, probe)?.trim();
            return answer !== undefined && (host.init !== "systemd" || answer === "running");
        });
    }
    return { healthy, lines };
}
