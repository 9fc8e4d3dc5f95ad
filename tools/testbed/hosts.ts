// A test host: its network namespace, keys, overlay root and first process (sshd, or systemd's power
// script), and the SSH probe that tells it is up.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { quote } from "../../src/hostScripts/shell";
import { HostInit, TestbedCloudNames, TestbedHost, testbedDir } from "./info";
import { BRIDGE, GATEWAY, PREFIX, SUBNET } from "./network";
import { run, startDaemon } from "./processes";
import { systemdBootScript, systemdPowerScript } from "./systemdHost";

const HOST_ADDRESS_OFFSET = 10;
const SYSTEMD_HOST_ADDRESS_OFFSET = 100;
/** Where a host's sshd finds its config and keys, inside its own root. */
export const HOST_SSH_DIR = "/etc/ssh/skymount-testbed";

/** The two lists of testbed.json: `hosts` (h1, h2, … at .11 to .74) and `systemdHosts` (s1, s2, … at .101 to .116). */
export type HostList = "hosts" | "systemdHosts";

function hostName(index: number, list: HostList): string {
    return `${list === "systemdHosts" ? "s" : "h"}${index + 1}`;
}

function hostAddress(index: number, list: HostList): string {
    return `${SUBNET}.${(list === "systemdHosts" ? SYSTEMD_HOST_ADDRESS_OFFSET : HOST_ADDRESS_OFFSET) + index + 1}`;
}

/** What makes a copy of this machine's root a test host's, run once per host on its root "$H/root". */
export function rootPreparation(name: string, prepared: Omit<HostPreparation, "clientKey">): string {
    const { aptSource, extraHostsLine, cloudNames } = prepared;
    return `mkdir -p "$H/root/run/sshd" "$H/root${HOST_SSH_DIR}"
# The host's sshd reads its files inside the overlay root, wherever the testbed directory lives
# (a testbed under /tmp is hidden by the host's own /tmp).
cp "$H/sshd_config" "$H/ssh_host_ed25519_key" "$H/authorized_keys" "$H/root${HOST_SSH_DIR}/"
chmod 0600 "$H/root${HOST_SSH_DIR}/ssh_host_ed25519_key"
# The Azure Blob endpoint's name (its first label is the storage account, as on Azure).
grep -qxF ${quote(extraHostsLine)} "$H/root/etc/hosts" || echo ${quote(extraHostsLine)} >> "$H/root/etc/hosts"
# The clouds' names: the testbed's DNS server resolves them, its CA signs their certificate (Go's
# geesefs and curl read the bundle; update-ca-certificates would keep the CA).
rm -f "$H/root/etc/resolv.conf"
cp ${quote(cloudNames.resolvConf)} "$H/root/etc/resolv.conf"
cp ${quote(cloudNames.ca)} "$H/root/usr/local/share/ca-certificates/skymount-testbed.crt"
cat ${quote(cloudNames.ca)} >> "$H/root/etc/ssl/certs/ca-certificates.crt"
# No route to Debian from here: apt sees only the testbed's mirror.
rm -f "$H/root/etc/apt/sources.list.d/"* "$H/root/etc/apt/sources.list"
rm -rf "$H/root/var/lib/apt/lists/"*
echo ${quote(aptSource)} > "$H/root/etc/apt/sources.list.d/skymount-testbed.list"
# A fresh host has no FUSE tools; skymount's bootstrap must install them.
chroot "$H/root" dpkg --purge --force-depends fuse3 >/dev/null 2>&1 || true
echo ${quote(name)} > "$H/root/etc/hostname-testhost"`;
}

export function hostStartScript(hostDir: string, prepare: string): string {
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

/** How a host is logged in to: the testbed's own hosts take the testbed's key for any user (root);
 *  a cloud host (cloudHosts.ts) takes its user's own ~/.ssh/authorized_keys and refuses root. */
export interface SshdLogin {
    authorizedKeysFile: string;
    permitRootLogin: "prohibit-password" | "no";
}

const TESTBED_LOGIN: SshdLogin = { authorizedKeysFile: `${HOST_SSH_DIR}/authorized_keys`, permitRootLogin: "prohibit-password" };

export function sshdConfig(address: string, login: SshdLogin = TESTBED_LOGIN): string {
    return [
        "Port 22",
        `ListenAddress ${address}`,
        `HostKey ${HOST_SSH_DIR}/ssh_host_ed25519_key`,
        `PidFile /run/sshd.pid`,
        `AuthorizedKeysFile ${login.authorizedKeysFile}`,
        `PermitRootLogin ${login.permitRootLogin}`,
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
export function sshRun(host: TestbedHost, command: string): string | undefined {
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
export function hostLog(host: TestbedHost): string {
    return path.join(testbedDir, "hosts", host.name, host.init === "systemd" ? "console.log" : "sshd.log");
}

/** A host's network namespace, on the bridge by a veth pair, at `address` with the gateway as its route. */
export function addHostNetwork(ns: string, address: string): void {
    run("ip", ["netns", "add", ns]);
    run("ip", ["link", "add", ns, "type", "veth", "peer", "name", "eth0", "netns", ns]);
    run("ip", ["link", "set", ns, "master", BRIDGE]);
    run("ip", ["link", "set", ns, "up"]);
    run("ip", ["netns", "exec", ns, "ip", "link", "set", "lo", "up"]);
    run("ip", ["netns", "exec", ns, "ip", "addr", "add", `${address}/24`, "dev", "eth0"]);
    run("ip", ["netns", "exec", ns, "ip", "link", "set", "eth0", "up"]);
    run("ip", ["netns", "exec", ns, "ip", "route", "add", "default", "via", GATEWAY]);
}

/** What every host is given: the key it lets in, the apt source it sees, and the names it resolves. */
export interface HostPreparation {
    clientKey: string;
    aptSource: string;
    extraHostsLine: string;
    cloudNames: Pick<TestbedCloudNames, "ca" | "resolvConf">;
}

/** Makes a host's network namespace, keys and root, and starts it (sshd, or its power script). */
export function startHost(index: number, list: HostList, init: HostInit, prepared: HostPreparation): TestbedHost {
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
    const prepare = rootPreparation(name, prepared);
    const script = (file: string, text: string) => {
        writeFileSync(path.join(hostDir, file), text, { mode: 0o755 });
        return path.join(hostDir, file);
    };

    addHostNetwork(ns, address);
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
