// A local stand-in for a cloud: an S3 server that checks signatures, SSH hosts in network
// namespaces with overlay roots, and a release mirror for what the hosts would download.
//
// Everything it makes carries the instance's prefix ("skym" by default: namespaces, links), is bound
// to its bridge address (servers) or lives under its directory (.testbed/ by default), so `down`, and
// an `up` after a crash, can find and remove it without any state file. SKYMOUNT_TESTBED=<name> works
// on another instance (instance.ts) with its own prefix, subnet and directory, which neither touches.
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { quote } from "../../src/hostScripts/shell";
import { addHostsLine, hostsLine, isTestbedAzurite, removeHostsLines, startAzurite, waitForAzurite } from "./azurite";
import { HostInit, instance, TestbedHost, TestbedInfo, testbedDir, testbedInfoPath } from "./info";
import { mentionsAddress } from "./instance";
import { disksUnder, namespaceInits, removeHostCgroups, systemdBootScript, systemdPowerScript } from "./systemdHost";
import { readPinnedVersions } from "./versions";

const PREFIX = instance.prefix;
const BRIDGE = `${PREFIX}-br0`;
const SUBNET = instance.subnet;
const GATEWAY = `${SUBNET}.1`;
const S3_PORT = 9000;
const MIRROR_PORT = 8088;
const REGION = "us-east-1";
const HOST_ADDRESS_OFFSET = 10;
const SYSTEMD_HOST_ADDRESS_OFFSET = 100;
/** A systemd host runs systemd, journald, logind and dbus besides sshd: about 40 MiB each, idle. */
const MAX_SYSTEMD_HOSTS = 16;
/** Addresses .11 to .74 of the /24. An idle host (sshd in its namespace, overlay root on tmpfs) costs a
 *  few MiB; a mounted one adds its geesefs (tens of MiB idle): 32 hosts are measured in bench/README.md. */
const MAX_HOSTS = 64;
/** Where a host's sshd finds its config and keys, inside its own root. */
const HOST_SSH_DIR = "/etc/ssh/skymount-testbed";

const cacheDir = process.env.SKYMOUNT_CACHE ?? path.join(process.env.HOME ?? "/root", ".cache", "skymount");
const binDir = process.env.SKYMOUNT_BIN ?? path.join(cacheDir, "bin");

function run(cmd: string, args: string[], opts: { input?: string; allowFailure?: boolean } = {}): string {
    try {
        return execFileSync(cmd, args, { input: opts.input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
    } catch (err) {
        if (opts.allowFailure) return "";
        const e = err as { stderr?: string; message: string };
        throw new Error(`${cmd} ${args.join(" ")}: ${e.stderr?.trim() || e.message}`, { cause: err });
    }
}

function requireTool(file: string, hint: string): string {
    if (!existsSync(file)) throw new Error(`${file} is missing: ${hint}`);
    return file;
}

/** The two lists of testbed.json: `hosts` (h1, h2, … at .11 to .74) and `systemdHosts` (s1, s2, … at .101 to .116). */
type HostList = "hosts" | "systemdHosts";

function hostName(index: number, list: HostList): string {
    return `${list === "systemdHosts" ? "s" : "h"}${index + 1}`;
}

function hostAddress(index: number, list: HostList): string {
    return `${SUBNET}.${(list === "systemdHosts" ? SYSTEMD_HOST_ADDRESS_OFFSET : HOST_ADDRESS_OFFSET) + index + 1}`;
}

function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
        const attempt = () => {
            const socket = net.connect({ host, port });
            socket.once("connect", () => {
                socket.destroy();
                resolve();
            });
            socket.once("error", () => {
                socket.destroy();
                if (Date.now() > deadline) reject(new Error(`${host}:${port} did not accept connections within ${timeoutMs} ms`));
                else setTimeout(attempt, 100);
            });
        };
        attempt();
    });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            const res = await fetch(url);
            if (res.ok) return;
        } catch {
            // not up yet
        }
        if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
    }
}

/** Starts a long-lived process detached from this one, logging to a file; returns its pid. */
function startDaemon(cmd: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = {}): number {
    const out = openSync(logFile, "a");
    const child = spawn(cmd, args, { detached: true, stdio: ["ignore", out, out], env: { ...process.env, ...env } });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
    return child.pid;
}

function processCommandLine(pid: number): string {
    try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
        return "";
    }
}

/** Pids of this instance's servers (MinIO, Azurite, the mirror), found by its bridge address, from any checkout. */
function testbedServerProcesses(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const cmdline = processCommandLine(Number(entry));
        if (mentionsAddress(cmdline, GATEWAY) && /\bminio server\b|\bhttp\.server\b/.test(cmdline)) pids.push(Number(entry));
        else if (isTestbedAzurite(cmdline, GATEWAY)) pids.push(Number(entry));
    }
    return pids;
}

/** Whether a process still runs: a zombie (a systemd host's process whose reaper went first) does not. */
function running(pid: number): boolean {
    try {
        return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
        return false;
    }
}

async function killAll(pids: number[]): Promise<void> {
    for (const pid of pids) {
        try {
            process.kill(pid, "SIGTERM");
        } catch {
            // already gone
        }
    }
    const deadline = Date.now() + 5000;
    while (pids.some(running) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
    }
    for (const pid of pids) {
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            // already gone
        }
    }
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

function sha256File(file: string): string {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function prepareMirror(dir: string, geesefsVersion: string): TestbedInfo["mirror"] {
    const baseUrl = `http://${GATEWAY}:${MIRROR_PORT}`;
    const releaseDir = path.join(dir, "geesefs", `v${geesefsVersion}`);
    mkdirSync(releaseDir, { recursive: true });
    const binary = path.join(releaseDir, "geesefs-linux-amd64");
    copyFileSync(requireTool(path.join(binDir, "geesefs"), "run `npm run setup`"), binary);
    const sha256 = sha256File(binary);
    writeFileSync(`${binary}.sha256`, `${sha256}  geesefs-linux-amd64\n`);
    const aptDir = path.join(dir, "apt");
    mkdirSync(aptDir, { recursive: true });
    const aptCache = requireTool(path.join(cacheDir, "apt-mirror"), "run `npm run setup`");
    for (const file of readdirSync(aptCache)) copyFileSync(path.join(aptCache, file), path.join(aptDir, file));
    return {
        baseUrl,
        geesefs: { version: geesefsVersion, url: `${baseUrl}/geesefs/v${geesefsVersion}/geesefs-linux-amd64`, sha256 },
        aptSource: `deb [trusted=yes] ${baseUrl}/apt ./`,
    };
}

/** What makes a copy of this machine's root a test host's, run once per host on its root "$H/root". */
function rootPreparation(name: string, aptSource: string, extraHostsLine: string): string {
    return `mkdir -p "$H/root/run/sshd" "$H/root${HOST_SSH_DIR}"
# The host's sshd reads its files inside the overlay root, wherever the testbed directory lives
# (a testbed under /tmp is hidden by the host's own /tmp).
cp "$H/sshd_config" "$H/ssh_host_ed25519_key" "$H/authorized_keys" "$H/root${HOST_SSH_DIR}/"
chmod 0600 "$H/root${HOST_SSH_DIR}/ssh_host_ed25519_key"
# The Azure Blob endpoint's name (its first label is the storage account, as on Azure).
grep -qxF ${quote(extraHostsLine)} "$H/root/etc/hosts" || echo ${quote(extraHostsLine)} >> "$H/root/etc/hosts"
# No route to Debian from here: apt sees only the testbed's mirror.
rm -f "$H/root/etc/apt/sources.list.d/"* "$H/root/etc/apt/sources.list"
rm -rf "$H/root/var/lib/apt/lists/"*
echo ${quote(aptSource)} > "$H/root/etc/apt/sources.list.d/skymount-testbed.list"
# A fresh host has no FUSE tools; skymount's bootstrap must install them.
chroot "$H/root" dpkg --purge --force-depends fuse3 >/dev/null 2>&1 || true
echo ${quote(name)} > "$H/root/etc/hostname-testhost"`;
}

function hostStartScript(hostDir: string, prepare: string): string {
    // Runs inside `ip netns exec`, which already gave it a private mount namespace: the overlay root,
    // and every mount later made over SSH, exist only for this host.
    return `#!/bin/sh
set -e
H=${quote(hostDir)}
mount -t tmpfs tmpfs "$H/ovl"
mkdir -p "$H/ovl/upper" "$H/ovl/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$H/ovl/upper,workdir=$H/ovl/work" "$H/root"
mount --rbind /dev "$H/root/dev"
mount -t proc proc "$H/root/proc"
mount -t sysfs sysfs "$H/root/sys"
mount -t tmpfs tmpfs "$H/root/run"
mount -t tmpfs tmpfs "$H/root/tmp"
${prepare}
exec chroot "$H/root" /usr/sbin/sshd -D -e -f ${HOST_SSH_DIR}/sshd_config
`;
}

function sshdConfig(address: string): string {
    return [
        "Port 22",
        `ListenAddress ${address}`,
        `HostKey ${HOST_SSH_DIR}/ssh_host_ed25519_key`,
        `PidFile /run/sshd.pid`,
        `AuthorizedKeysFile ${HOST_SSH_DIR}/authorized_keys`,
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        // Like a stock Debian sshd: the client may send only LANG and LC_* into the environment.
        "AcceptEnv LANG LC_*",
        "MaxStartups 64:30:128",
        "MaxSessions 64",
        "Subsystem sftp /usr/lib/openssh/sftp-server",
        "",
    ].join("\n");
}

/** Runs a command on a host over SSH: its stdout, or undefined when the login or the command fails. */
function sshRun(host: TestbedHost, command: string): string | undefined {
    try {
        return execFileSync(
            "ssh",
            [
                "-i",
                host.privateKeyPath,
                "-p",
                String(host.port),
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "ConnectTimeout=5",
                `${host.user}@${host.address}`,
                command,
            ],
            { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" },
        );
    } catch (err) {
        return (err as { stdout?: string }).stdout || undefined;
    }
}

/** Where a host's first process logs: sshd's, or a systemd host's power script and console. */
function hostLog(host: TestbedHost): string {
    return path.join(testbedDir, "hosts", host.name, host.init === "systemd" ? "console.log" : "sshd.log");
}

/** Makes a host's network namespace, keys and root, and starts it (sshd, or its power script). */
function startHost(
    index: number,
    list: HostList,
    init: HostInit,
    prepared: { clientKey: string; aptSource: string; extraHostsLine: string },
): TestbedHost {
    const name = hostName(index, list);
    const ns = `${PREFIX}-${name}`;
    const address = hostAddress(index, list);
    const hostDir = path.join(testbedDir, "hosts", name);
    for (const sub of ["ovl", "root", "disk"]) mkdirSync(path.join(hostDir, sub), { recursive: true });
    run("ssh-keygen", [
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        `skymount-testbed-${name}`,
        "-f",
        path.join(hostDir, "ssh_host_ed25519_key"),
    ]);
    copyFileSync(`${prepared.clientKey}.pub`, path.join(hostDir, "authorized_keys"));
    writeFileSync(path.join(hostDir, "sshd_config"), sshdConfig(address));
    const prepare = rootPreparation(name, prepared.aptSource, prepared.extraHostsLine);
    const script = (file: string, text: string) => {
        writeFileSync(path.join(hostDir, file), text, { mode: 0o755 });
        return path.join(hostDir, file);
    };

    run("ip", ["netns", "add", ns]);
    run("ip", ["link", "add", ns, "type", "veth", "peer", "name", "eth0", "netns", ns]);
    run("ip", ["link", "set", ns, "master", BRIDGE]);
    run("ip", ["link", "set", ns, "up"]);
    run("ip", ["netns", "exec", ns, "ip", "link", "set", "lo", "up"]);
    run("ip", ["netns", "exec", ns, "ip", "addr", "add", `${address}/24`, "dev", "eth0"]);
    run("ip", ["netns", "exec", ns, "ip", "link", "set", "eth0", "up"]);
    run("ip", ["netns", "exec", ns, "ip", "route", "add", "default", "via", GATEWAY]);
    if (init === "systemd") {
        // The disk: in this machine's mount namespace, so it outlives the host's boots.
        run("mount", ["-t", "tmpfs", "-o", "mode=0755", "tmpfs", path.join(hostDir, "disk")]);
        for (const sub of ["upper", "work"]) mkdirSync(path.join(hostDir, "disk", sub));
        script("boot.sh", systemdBootScript(hostDir, name, prepare, HOST_SSH_DIR));
        startDaemon(script("power.sh", systemdPowerScript(hostDir, ns)), [], path.join(hostDir, "console.log"));
    } else {
        startDaemon("ip", ["netns", "exec", ns, script("start.sh", hostStartScript(hostDir, prepare))], path.join(hostDir, "sshd.log"));
    }
    return {
        name,
        init,
        netns: ns,
        address,
        port: 22,
        user: "root",
        privateKeyPath: prepared.clientKey,
        hostPublicKey: readFileSync(path.join(hostDir, "ssh_host_ed25519_key.pub"), "utf8").trim().split(" ").slice(0, 2).join(" "),
    };
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

    // S3 server: MinIO on the bridge address, so hosts and this machine reach the same endpoint.
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
        { MINIO_ROOT_USER: s3.accessKey, MINIO_ROOT_PASSWORD: s3.secretKey, MINIO_REGION: REGION, MINIO_BROWSER: "off" },
    );

    // Azure Blob service: Azurite on the bridge address, its endpoint's name in /etc/hosts here.
    const azure = startAzurite(path.join(testbedDir, "azurite"), GATEWAY);
    addHostsLine("/etc/hosts", azure);

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
    const prepared = { clientKey, aptSource: mirror.aptSource, extraHostsLine: hostsLine(azure) };
    const hosts = Array.from({ length: options.hosts }, (_, i) => startHost(i, "hosts", options.init ?? "none", prepared));
    const systemdHosts = Array.from({ length: options.systemdHosts ?? 0 }, (_, i) => startHost(i, "systemdHosts", "systemd", prepared));

    await waitForHttp(`${s3.endpoint}/minio/health/ready`, 30_000);
    await waitForHttp(`${mirror.geesefs.url}.sha256`, 10_000);
    await waitForAzurite(azure, 30_000);
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

    const info: TestbedInfo = { createdAt: new Date().toISOString(), s3, azure, hosts, systemdHosts, mirror };
    writeFileSync(testbedInfoPath, JSON.stringify(info, null, 2) + "\n", { mode: 0o600 });
    log(
        `testbed: up in ${((Date.now() - started) / 1000).toFixed(1)} s: S3 ${s3.endpoint}, Azure Blob ${azure.endpoint}, mirror ${mirror.baseUrl}, hosts ${[...hosts, ...systemdHosts].map((h) => `${h.name}=${h.address}`).join(" ")}`,
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
