// Test hosts that boot systemd as PID 1, as a cloud VM does, so skymount's systemd path (a service per
// bucket with Restart=on-failure, fstab binds that require it, the supervisor as a service) runs for
// real. systemd-nspawn needs the machine's own PID 1 to be systemd, which it is not here; instead each
// host is its network namespace plus `unshare --pid --mount --uts --ipc`, an overlay of the machine's
// root, and `chroot … systemd --system` with container=other.
//
// The overlay's upper layer is the host's disk: a tmpfs mounted in this machine's own mount namespace
// (under the host's directory), so it outlives a boot. `systemctl reboot` on the host ends its PID
// namespace (the kernel sends its init SIGHUP), and its power script boots it again on the same disk;
// so does a power cut (its systemd killed); `systemctl poweroff` (SIGINT) leaves it off. Its processes
// live in a cgroup of their own in every hierarchy (systemd builds its tree under it), which `down`
// removes with the host's disk.
import { readdirSync, readFileSync, rmdirSync } from "node:fs";
import * as path from "node:path";
import { quote } from "../../src/hostScripts/shell";

/** The parent of every systemd host's cgroup, in each cgroup hierarchy of this machine. */
const CGROUP_PARENT = "skymount-testbed";
const CGROUP_ROOT = "/sys/fs/cgroup";

/** Units of this machine's own install that have no business on a test host: a getty on the
 *  machine's console, its database, and timers that would trim or upgrade the machine's disks. */
export const MASKED_UNITS = [
    "getty@tty1.service",
    "getty.target",
    "postgresql.service",
    "e2scrub_reap.service",
    "e2scrub_all.timer",
    "fstrim.timer",
    "apt-daily.timer",
    "apt-daily-upgrade.timer",
    "dpkg-db-backup.timer",
    "man-db.timer",
    "systemd-pstore.service",
];

/** The exit status of `unshare --fork` when systemd powered its namespace off (its init got SIGINT). */
const POWERED_OFF = 130;

/** The host's power: puts itself in the host's cgroups (from this machine's view of /sys, which
 *  `ip netns exec` replaces), enters the network namespace, then boots until a poweroff. */
export function systemdPowerScript(hostDir: string, netns: string): string {
    return `#!/bin/sh
# ${netns}'s power: boots it again after a reboot or a power cut; stays off after a poweroff.
set -e
H=${quote(hostDir)}
if [ "\${1:-}" != on ]; then
  for root in ${CGROUP_ROOT}/*/; do
    group="\${root}${CGROUP_PARENT}/${netns}"
    mkdir -p "$group"
    # cpuset: a group without CPUs and memory nodes takes no process.
    if [ -f "\${root}cpuset.cpus" ]; then
      for f in cpuset.cpus cpuset.mems; do
        cat "\${root}$f" > "\${root}${CGROUP_PARENT}/$f"
        cat "\${root}$f" > "$group/$f"
      done
    fi
    echo $$ > "$group/cgroup.procs"
  done
  exec ip netns exec ${quote(netns)} "$0" on
fi
while :; do
  status=0
  unshare --pid --fork --mount --uts --ipc --propagation private "$H/boot.sh" || status=$?
  echo "power: systemd ended with status $status at $(date +%T.%N)"
  [ "$status" != ${POWERED_OFF} ] || exit 0
done
`;
}

/** One boot: the overlay root on the host's disk, the kernel's file systems, then systemd. The first
 *  boot also makes the root a test host's (\`prepare\`: sshd's files, apt, hostname) and masks what
 *  belongs to this machine only. */
export function systemdBootScript(hostDir: string, name: string, prepare: string, sshDir: string): string {
    return `#!/bin/sh
set -e
H=${quote(hostDir)}
M="$H/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$H/disk/upper,workdir=$H/disk/work" "$M"
mount -t proc proc "$M/proc"
mount --rbind /sys "$M/sys"
mount --rbind /dev "$M/dev"
mount -t tmpfs tmpfs "$M/run"
mount -t tmpfs tmpfs "$M/tmp"
if [ ! -e "$M/etc/hostname-testhost" ]; then
  echo ${quote(name)} > "$M/etc/hostname"
  for unit in ${MASKED_UNITS.join(" ")}; do ln -sfn /dev/null "$M/etc/systemd/system/$unit"; done
  # The machine's own ssh.service, with the test host's config, keys and address.
  mkdir -p "$M/etc/systemd/system/ssh.service.d"
  printf '%s\\n' '[Service]' 'ExecStartPre=' 'ExecStartPre=/usr/sbin/sshd -t -f ${sshDir}/sshd_config' \\
    'ExecStart=' 'ExecStart=/usr/sbin/sshd -D -f ${sshDir}/sshd_config' > "$M/etc/systemd/system/ssh.service.d/testbed.conf"
${prepare}
fi
exec chroot "$M" /usr/bin/env container=other /lib/systemd/systemd --system
`;
}

/** The pids among `pids` that are the init of a PID namespace below this one (a systemd host's systemd):
 *  killed first, they take their whole namespace with them, where a SIGTERM would only make systemd
 *  re-execute itself. */
export function namespaceInits(pids: number[]): number[] {
    return pids.filter((pid) => {
        try {
            const nspid =
                /^NSpid:\s+(.*)$/m
                    .exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]
                    .trim()
                    .split(/\s+/) ?? [];
            return nspid.length > 1 && nspid[nspid.length - 1] === "1";
        } catch {
            return false;
        }
    });
}

/** The systemd hosts' disks: tmpfs mounts under `dir`, deepest first. */
export function disksUnder(dir: string, mountinfo = readFileSync("/proc/self/mountinfo", "utf8")): string[] {
    return mountinfo
        .split("\n")
        .map((line) => line.split(" ")[4])
        .filter((target): target is string => target !== undefined && target.startsWith(`${dir}/`))
        .sort()
        .reverse();
}

/** Removes the cgroups of this instance's hosts (empty once their processes are gone), deepest first. */
export function removeHostCgroups(prefix: string): number {
    let removed = 0;
    const removeTree = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeTree(path.join(dir, entry.name));
        rmdirSync(dir);
        removed++;
    };
    for (const hierarchy of safeList(CGROUP_ROOT)) {
        const parent = path.join(CGROUP_ROOT, hierarchy, CGROUP_PARENT);
        for (const group of safeList(parent).filter((name) => name.startsWith(`${prefix}-`))) removeTree(path.join(parent, group));
        // Shared by every instance: it goes once none holds a host.
        if (safeList(parent).length === 0) rmdirSafe(parent);
    }
    return removed;
}

function safeList(dir: string): string[] {
    try {
        return readdirSync(dir, { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => e.name);
    } catch {
        return [];
    }
}

function rmdirSafe(dir: string): void {
    try {
        rmdirSync(dir);
    } catch {
        // another instance's host still lives there
    }
}
