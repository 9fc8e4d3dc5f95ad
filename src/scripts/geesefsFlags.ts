// The geesefs options for one FUSE mount, as fstab options (geesefs reads "--flag=value" entries
// from the options field when mount(8) starts it, which is also what boot does).
import { FuseMountPlan, GeesefsOptions } from "../volume/plan";
import { MOUNT_HELPER } from "./hostPaths";
import { quote } from "./shell";

export const CACHE_ROOT = "/var/cache/skymount";

export function geesefsOptions(mount: FuseMountPlan, options: GeesefsOptions): string[] {
    const s3 = mount.api === "s3";
    const flags = [
        // Not a local disk: boot mounts it once the network is up.
        "_netdev",
        // Azure: the blob service endpoint, whose first DNS label geesefs takes as the account.
        `--endpoint=${mount.endpoint}`,
        // An explicit region: geesefs would otherwise guess it with a HEAD request at every mount,
        // which fails on some S3-compatible servers and adds a round trip.
        ...(s3 ? [`--region=${mount.region}`] : []),
        // ListObjectsV2 works on every S3-compatible store; geesefs's default (V1, or Yandex's
        // ext-v1) does not (geesefs README, "Common issues").
        ...(s3 ? ["--list-type=2"] : []),
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
    if (s3 && !mount.pathStyle) flags.push("--subdomain");
    // Static keys come from a 0600 file; without one geesefs takes the AWS SDK chain, so an EC2
    // instance role works with IMDSv2 required (geesefs's --iam flag speaks only IMDSv1). Azure's
    // key file is found through AZURE_CONFIG_DIR (the mount's wrapper sets it).
    if (s3 && mount.hasCredentials) flags.push(`--shared-config=${mount.credentialsFile}`);
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

/** What geesefs is told to mount: a bucket name (S3), or a wasb:// URL (Azure Blob). */
export function geesefsSource(mount: FuseMountPlan): string {
    return mount.api === "azure" ? `wasb://${mount.bucket}` : mount.bucket;
}

/** The directory holding an Azure mount's key (`config`) and its `geesefs` wrapper. */
export function azureConfigDir(mount: FuseMountPlan): string {
    return mount.credentialsFile.replace(/\/config$/, "");
}

/** An Azure mount's wrapper: geesefs reads the account key only from its environment or from
 *  $AZURE_CONFIG_DIR/config, and an fstab entry can set no environment. mount(8) runs this wrapper
 *  (fstab source `<wrapper>#wasb://<container>`, type `fuse`: mount.fuse's helper#source form),
 *  which sets that one variable and hands over to the mount helper, so boot and `mount -a` mount
 *  each container with its own account's key. */
export function azureWrapperPath(mount: FuseMountPlan): string {
    return `${azureConfigDir(mount)}/geesefs`;
}

export function azureWrapperScript(mount: FuseMountPlan): string {
    return [
        "#!/bin/sh",
        `# skymount: geesefs for Azure container ${mount.bucket.replace(/[\x00-\x1f\x7f]/g, " ")}, with the account key in $AZURE_CONFIG_DIR/config`,
        `exec env -u AZURE_STORAGE_ACCOUNT -u AZURE_STORAGE_KEY AZURE_CONFIG_DIR=${quote(azureConfigDir(mount))} ${quote(MOUNT_HELPER)} "$@"`,
        "",
    ].join("\n");
}

/** The program mount(8) runs for a mount: the mount helper, or for Azure the mount's wrapper. */
export function mountProgram(mount: FuseMountPlan): string {
    return mount.api === "azure" ? azureWrapperPath(mount) : MOUNT_HELPER;
}

/** The fstab line for a mount: `<program>#<bucket or wasb://container> <dir> fuse <options> 0 0`. */
export function geesefsFstabLine(mount: FuseMountPlan, options: GeesefsOptions): string {
    const flags = geesefsOptions(mount, options).join(",");
    return `${mountProgram(mount)}#${geesefsSource(mount)} ${mount.dir} fuse ${flags} 0 0`;
}

/** What mount.fuse passes the program, for a mount that is not in fstab (COPY's temporary one):
 *  `<source> <dir> -o <options>`, the one form geesefs reads its flags from inside -o. */
export function mountProgramArgs(mount: FuseMountPlan, options: GeesefsOptions): string[] {
    const flags = geesefsOptions(mount, options).filter((o) => o !== "_netdev");
    return [geesefsSource(mount), mount.dir, "-o", flags.join(",")];
}
