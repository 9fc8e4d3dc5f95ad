// Hosts added to a running testbed and removed from it at run time: the machines a stand-in cloud
// provider boots for a program's VMs (tools/standins/). Each is a testbed host (hosts.ts: its own
// network namespace and overlay root, sshd as its first process) named c1, c2, … at .151 to .250, apart
// from the testbed's h* and s*, and made like a cloud image's first boot: a fresh host key, one login
// user (not root, which sshd refuses) with the given public key in its ~/.ssh/authorized_keys and
// passwordless sudo (cloud-init's /etc/sudoers.d/90-cloud-init-users). A tag (the cloud's instance
// id) finds the host again; `testbed down` removes these hosts with the rest.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { quote } from "../../src/hostScripts/shell";
import { hostsLine } from "./azurite";
import { addHostNetwork, hostStartScript, rootPreparation, sshdConfig } from "./hosts";
import { loadTestbedInfo, testbedDir } from "./info";
import { PREFIX, SUBNET } from "./network";
import { killAll, run, startDaemon, waitForPort } from "./processes";

const CLOUD_HOST_ADDRESS_OFFSET = 150;
const MAX_CLOUD_HOSTS = 100;
const TAG_FILE = "tag";

export interface CloudHostRequest {
    /** What finds the host again (an instance id). */
    tag: string;
    /** The image's login user, e.g. "ubuntu". */
    user: string;
    /** The public key line the user logs in with; none: nobody can log in. */
    authorizedKey?: string;
}

export interface CloudHost {
    name: string;
    netns: string;
    address: string;
    /** Its files on this machine: keys, config, logs, root. */
    dir: string;
    /** The host key it made at its first boot ("ssh-ed25519 AAAA…"). */
    hostPublicKey: string;
}

const hostsDir = () => path.join(testbedDir, "hosts");

function cloudHostAt(index: number): CloudHost {
    const name = `c${index}`;
    const dir = path.join(hostsDir(), name);
    const keyFile = path.join(dir, "ssh_host_ed25519_key.pub");
    return {
        name,
        netns: `${PREFIX}-${name}`,
        address: `${SUBNET}.${CLOUD_HOST_ADDRESS_OFFSET + index}`,
        dir,
        hostPublicKey: existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim().split(" ").slice(0, 2).join(" ") : "",
    };
}

/** Claims the first free cNN: its directory made (atomically: two boots at once never share one). */
function claimCloudHost(): CloudHost {
    mkdirSync(hostsDir(), { recursive: true });
    for (let index = 1; index <= MAX_CLOUD_HOSTS; index++) {
        try {
            mkdirSync(path.join(hostsDir(), `c${index}`));
            return cloudHostAt(index);
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
    }
    throw new Error(`testbed: all ${MAX_CLOUD_HOSTS} cloud hosts are in use`);
}

/** A cloud image's first boot on the overlay root "$H/root": the login user, its key and its sudo. */
function firstBoot(user: string, authorizedKey: string | undefined): string {
    const home = `/home/${user}`;
    return `# The image's login user: a password that is no password ("*", not locked "!": sshd without PAM
# refuses locked accounts), the key it was booted with, and root through sudo without a password.
chroot "$H/root" useradd --create-home --shell /bin/bash --password '*' ${quote(user)}
mkdir -p "$H/root${home}/.ssh"
printf '%s\\n' ${quote(authorizedKey ?? "")} > "$H/root${home}/.ssh/authorized_keys"
chmod 0700 "$H/root${home}/.ssh"
chmod 0600 "$H/root${home}/.ssh/authorized_keys"
chroot "$H/root" chown -R ${quote(`${user}:${user}`)} ${quote(home)}
echo ${quote(`${user} ALL=(ALL) NOPASSWD:ALL`)} > "$H/root/etc/sudoers.d/90-cloud-init-users"
chmod 0440 "$H/root/etc/sudoers.d/90-cloud-init-users"`;
}

/** Boots a new host in the running testbed; it accepts SSH a moment later (waitForCloudHost). */
export function startCloudHost(request: CloudHostRequest): CloudHost {
    if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(request.user)) throw new Error(`testbed: ${request.user}: not a user name`);
    const testbed = loadTestbedInfo();
    const claimed = claimCloudHost();
    const { dir, address } = claimed;
    writeFileSync(path.join(dir, TAG_FILE), request.tag);
    for (const sub of ["ovl", "root"]) mkdirSync(path.join(dir, sub));
    run("ssh-keygen", [
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        `skymount-testbed-${claimed.name}`,
        "-f",
        path.join(dir, "ssh_host_ed25519_key"),
    ]);
    // rootPreparation copies this file beside the host key; this host's sshd reads the user's own.
    writeFileSync(path.join(dir, "authorized_keys"), "");
    writeFileSync(
        path.join(dir, "sshd_config"),
        sshdConfig(address, { authorizedKeysFile: ".ssh/authorized_keys", permitRootLogin: "no" }),
    );
    const prepare = `${rootPreparation(claimed.name, { aptSource: testbed.mirror.aptSource, extraHostsLine: hostsLine(testbed.azure), cloudNames: testbed.cloudNames })}\n${firstBoot(request.user, request.authorizedKey)}`;
    writeFileSync(path.join(dir, "start.sh"), hostStartScript(dir, prepare), { mode: 0o755 });
    addHostNetwork(claimed.netns, address);
    startDaemon("ip", ["netns", "exec", claimed.netns, path.join(dir, "start.sh")], path.join(dir, "sshd.log"));
    return cloudHostAt(Number(claimed.name.slice(1)));
}

export async function waitForCloudHost(host: CloudHost, timeoutMs = 20_000): Promise<void> {
    await waitForPort(host.address, 22, timeoutMs);
}

/** The running host tagged `tag`, or undefined when there is none (never booted, or stopped). */
export function findCloudHost(tag: string): CloudHost | undefined {
    if (!existsSync(hostsDir())) return undefined;
    for (const entry of readdirSync(hostsDir())) {
        if (!/^c\d+$/.test(entry)) continue;
        const host = cloudHostAt(Number(entry.slice(1)));
        let hostTag: string;
        try {
            hostTag = readFileSync(path.join(host.dir, TAG_FILE), "utf8");
        } catch {
            continue;
        }
        if (hostTag === tag && namespaceExists(host.netns)) return host;
    }
    return undefined;
}

function namespaceExists(ns: string): boolean {
    return run("ip", ["netns", "list"], { allowFailure: true })
        .split("\n")
        .some((line) => line.split(" ")[0] === ns);
}

/** Stops a host: every process in its namespace (its private mounts go with them), the namespace
 *  (its veth pair with it) and its files. */
export async function stopCloudHost(host: CloudHost): Promise<void> {
    for (let round = 0; round < 5; round++) {
        const pids = run("ip", ["netns", "pids", host.netns], { allowFailure: true }).split("\n").filter(Boolean).map(Number);
        if (pids.length === 0) break;
        await killAll(pids);
    }
    run("ip", ["netns", "del", host.netns], { allowFailure: true });
    rmSync(host.dir, { recursive: true, force: true });
}
