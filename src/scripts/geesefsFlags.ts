// The geesefs options for one FUSE mount, as fstab options (geesefs reads "--flag=value" entries
// from the options field when mount(8) starts it, which is also what boot does).
import { FuseMountPlan, GeesefsOptions } from "../volume/plan";

export const CACHE_ROOT = "/var/cache/skymount";

export function geesefsOptions(mount: FuseMountPlan, options: GeesefsOptions): string[] {
    const flags = [
        // Not a local disk: boot mounts it once the network is up.
        "_netdev",
        `--endpoint=${mount.endpoint}`,
        // An explicit region: geesefs would otherwise guess it with a HEAD request at every mount,
        // which fails on some S3-compatible servers and adds a round trip.
        `--region=${mount.region}`,
        // ListObjectsV2 works on every S3-compatible store; geesefs's default (V1, or Yandex's
        // ext-v1) does not (geesefs README, "Common issues").
        "--list-type=2",
        // How long file metadata is trusted: the window in which another host's writes stay unseen.
        `--stat-cache-ttl=${mount.statCacheTtlSeconds}s`,
        // Object stores keep no POSIX owner or mode: every inode gets these.
        `--uid=${options.uid ?? 0}`,
        `--gid=${options.gid ?? 0}`,
        "--file-mode=0644",
        "--dir-mode=0755",
        `--log-file=${mount.logFile}`,
    ];
    // Virtual-host addressing is what AWS, GCS and R2 expect; MinIO and other self-hosted servers
    // often only answer path-style, which is geesefs's default.
    if (!mount.pathStyle) flags.push("--subdomain");
    // Static keys come from a 0600 file; without one geesefs takes the AWS SDK chain, so an EC2
    // instance role works with IMDSv2 required (geesefs's --iam flag speaks only IMDSv1).
    if (mount.hasCredentials) flags.push(`--shared-config=${mount.credentialsFile}`);
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

/** The fstab line for a mount: `<bucket> <dir> fuse.geesefs <options> 0 0`. */
export function geesefsFstabLine(mount: FuseMountPlan, options: GeesefsOptions): string {
    return `${mount.bucket} ${mount.dir} fuse.geesefs ${geesefsOptions(mount, options).join(",")} 0 0`;
}

/** The same options as a command line, for a mount that is not in fstab (COPY's temporary one). */
export function geesefsCommandArgs(mount: FuseMountPlan, options: GeesefsOptions): string[] {
    const all = geesefsOptions(mount, options).filter((o) => o !== "_netdev");
    const fuseOptions = all.filter((o) => !o.startsWith("-"));
    return [...all.filter((o) => o.startsWith("-")), ...(fuseOptions.length ? ["-o", fuseOptions.join(",")] : []), mount.bucket, mount.dir];
}
