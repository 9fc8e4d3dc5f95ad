// The geesefs options for one FUSE mount, as fstab options (geesefs reads "--flag=value" entries
// from the options field when mount(8) starts it, which is also what boot does). The store family's
// own flags (S3's region, listing and addressing; none for Azure) come resolved in the plan.
import { CACHE_ROOT } from "./hostPaths";
import { FuseMountPlan, GeesefsOptions } from "./plan";

export function geesefsOptions(mount: FuseMountPlan, options: GeesefsOptions): string[] {
    const flags = [
        // Not a local disk: boot mounts it once the network is up.
        "_netdev",
        // Azure: the blob service endpoint, whose first DNS label geesefs takes as the account.
        `--endpoint=${mount.endpoint}`,
        ...mount.protocolFlags,
        // How long file metadata is trusted: the window in which another host's writes stay unseen.
        `--stat-cache-ttl=${mount.statCacheTtlSeconds}s`,
        // Object stores keep no POSIX owner or mode: every inode gets these.
        `--uid=${options.uid ?? 0}`,
        `--gid=${options.gid ?? 0}`,
        "--file-mode=0644",
        "--dir-mode=0755",
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
    // Only when asked: other users of the host can then read (and, read-write, change) the bucket.
    if (options.allowOther) flags.push("allow_other");
    return flags;
}
