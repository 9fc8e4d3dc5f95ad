// The geesefs options for one FUSE mount, as fstab options (geesefs reads "--flag=value" entries
// from the options field when mount(8) starts it, which is also what boot does). The store family's
// own flags (S3's region, listing and addressing; none for Azure) come resolved in the plan.
import { CACHE_ROOT } from "./hostPaths";
import { FuseMountPlan, GeesefsOptions } from "./plan";
import { ShareWith } from "../model/enums";

/** The modes every inode gets, by who shares the volume: the kernel checks them (default_permissions),
 *  so without sharing the owner (and root, which passes every permission check) is alone. */
const MODES: Record<ShareWith | "owner", { file: string; dir: string }> = {
    owner: { file: "0600", dir: "0700" },
    group: { file: "0660", dir: "0770" },
    everyone: { file: "0666", dir: "0777" },
};

export function shareModes(shareWith: ShareWith | undefined): { file: string; dir: string } {
    return MODES[shareWith ?? "owner"];
}

export function geesefsOptions(mount: FuseMountPlan, options: GeesefsOptions): string[] {
    const flags = [
        // Not a local disk: boot mounts it once the network is up.
        "_netdev",
        // Azure: the blob service endpoint, whose first DNS label geesefs takes as the account.
        `--endpoint=${mount.endpoint}`,
        ...mount.protocolFlags,
        // How long file metadata is trusted: the window in which another host's writes stay unseen.
        `--stat-cache-ttl=${mount.statCacheTtlSeconds}s`,
        // FUSE lets only the mounter (root, here) in unless allow_other; with it, the kernel checks
        // each access against the inode's owner and mode (default_permissions), which decide who
        // gets in.
        "allow_other",
        "default_permissions",
        // Object stores keep no POSIX owner or mode: every inode gets these. The owner is resolved on
        // the host when not given (sh/mountSpec.sh).
        `--uid=${options.uid ?? 0}`,
        `--gid=${options.gid ?? 0}`,
        `--file-mode=${shareModes(options.shareWith).file}`,
        `--dir-mode=${shareModes(options.shareWith).dir}`,
        `--log-file=${mount.logFile}`,
        ...mount.accessFlags,
    ];
    // geesefs defaults to 1000 MB of data cache; a smaller machine needs less, a busy one more.
    if (options.memoryLimitMb !== undefined) flags.push(`--memory-limit=${options.memoryLimitMb}`);
    if (mount.readWrite) {
        // close() returns once the data is in the bucket, so a job that ends (and a VM that is
        // destroyed right after) loses nothing it wrote. Costly for many small files: opt out with
        // fsyncOnClose: false and fsync what must be durable.
        if (options.fsyncOnClose) flags.push("--fsync-on-close");
    } else {
        // The kernel refuses writes before they reach geesefs.
        flags.push("ro");
    }
    if (mount.cached) flags.push(`--cache=${CACHE_ROOT}/${mount.id}`);
    return flags;
}
