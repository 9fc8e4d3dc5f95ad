// Every rule a SkyVolume's arguments must satisfy, checked before anything is registered. Returns
// all issues at once; the component throws them together. At preview a value given as an Output may
// be NOT_KNOWN (internal/notKnown.ts): the rules that read it are skipped there, and run at apply,
// where every value is known, before any script is built (skyVolume.ts).
import { Issue, issue } from "../internal/issues";
import { isKnown } from "../internal/notKnown";
import { keyPrefixIssues } from "../internal/keyPrefix";
import { sshHostIssues } from "../remote/hostRules";
import { CACHE_ROOT, LOG_DIR, STATE_ROOT } from "../hostScripts/hostPaths";
import { mountFamily } from "../storeFamilies/registry";
import { SHARE_WITH, SkyVolumeSpec, VOLUME_MODES, VolumeSpec } from "./spec";

/** Paths a volume may never take over: the system's own directories. */
export const SYSTEM_PATHS = [
    "/",
    "/root",
    "/tmp",
    "/opt",
    "/etc",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib64",
    "/home",
    "/var",
    "/boot",
    "/proc",
    "/sys",
    "/dev",
    "/run",
    "/srv",
    "/mnt",
    "/media",
];
/**
 * Nothing may be mounted under these either: the system's programs, libraries and configuration (a
 * volume at /usr/bin/x or /etc/ssh would hide or shadow what the host runs on), the virtual file
 * systems, and skymount's own directories.
 */
export const FORBIDDEN_TREES = [
    "/etc",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/boot",
    "/proc",
    "/sys",
    "/dev",
    "/run",
    STATE_ROOT,
    CACHE_ROOT,
    LOG_DIR,
];

/** Characters a mount path may hold: enough for real paths, and safe in fstab without escaping. */
const MOUNT_PATH_PATTERN = /^\/[A-Za-z0-9._\-/]*$/;
const HOST_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** The union of S3-compatible and GCS bucket-name rules; SkyStorage checks each store's own. */
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
/** Below this an ext4 cache file system is mostly its own metadata. */
export const MIN_CACHE_SIZE_MB = 64;

function isHttpUrl(value: string): boolean {
    try {
        const url = new URL(value);
        return url.protocol === "http:" || url.protocol === "https:";
    } catch {
        return false;
    }
}

function isNested(parent: string, child: string): boolean {
    return child.startsWith(parent === "/" ? "/" : `${parent}/`);
}

function validateMountPath(path: string, at: string, issues: Issue[]): void {
    if (typeof path !== "string" || !path.startsWith("/")) {
        issues.push(issue(at, path, "must be an absolute path"));
        return;
    }
    if (!MOUNT_PATH_PATTERN.test(path)) {
        issues.push(issue(at, path, "may contain only letters, digits, '.', '_', '-' and '/'"));
        return;
    }
    if (path !== "/" && path.endsWith("/")) issues.push(issue(at, path, "must not end with '/'"));
    else if (
        path
            .split("/")
            .slice(1)
            .some((segment) => segment === "" || segment === "." || segment === "..") &&
        path !== "/"
    ) {
        issues.push(issue(at, path, "must be normalized (no empty, '.' or '..' segments)"));
    }
    if (SYSTEM_PATHS.includes(path)) issues.push(issue(at, path, `must not be a system path (${SYSTEM_PATHS.join(", ")})`));
    else {
        const tree = FORBIDDEN_TREES.find((t) => isNested(t, path));
        if (tree) issues.push(issue(at, path, `must not be under ${tree}`));
    }
}

function validateVolume(volume: VolumeSpec, at: string, issues: Issue[]): void {
    // Unknown at preview, it is refused as such (givenVolumes.ts): it names the volume's commands.
    if (isKnown(volume.mount)) validateMountPath(volume.mount, `${at}.mount`, issues);
    if (volume.prefix !== undefined && isKnown(volume.prefix)) issues.push(...keyPrefixIssues(volume.prefix, `${at}.prefix`));
    const storage = volume.storage;
    if (isKnown(storage.bucket) && !BUCKET_PATTERN.test(storage.bucket ?? "")) {
        issues.push(
            issue(
                `${at}.storage.bucket`,
                storage.bucket,
                "must be 3-222 lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit",
            ),
        );
    }
    if (isKnown(storage.endpoint) && !isHttpUrl(storage.endpoint ?? "")) {
        issues.push(issue(`${at}.storage.endpoint`, storage.endpoint, "must be a URL with scheme http:// or https://"));
    }
    const mode = volume.mode ?? "MOUNT";
    if (isKnown(mode) && !(VOLUME_MODES as readonly string[]).includes(mode)) {
        issues.push(issue(`${at}.mode`, volume.mode, `must be one of ${VOLUME_MODES.join(", ")}`));
    }
    if (volume.readOnly === false && mode === "COPY") {
        issues.push(
            issue(`${at}.readOnly`, false, "COPY makes a local read-only snapshot; use MOUNT or MOUNT_CACHED to write back to the bucket"),
        );
    }
    const credentialsRequired = isKnown(storage.store) ? mountFamily(storage.store).geesefs.credentialsRequired : undefined;
    if (credentialsRequired !== undefined && storage.hasCredentials === false)
        issues.push(issue(`${at}.storage.credentials`, undefined, credentialsRequired));
    if (volume.readOnly === false && storage.credentialsReadOnly === true) {
        const bucket = isKnown(storage.bucket) ? `bucket "${storage.bucket}"` : "the bucket";
        issues.push(
            issue(`${at}.readOnly`, false, `the credentials of ${bucket} are read-only; use read-write credentials or readOnly: true`),
        );
    }
}

/** Every rule: the hosts', then the volumes' and geesefs's (validateVolumes). */
export function validateSkyVolume(spec: SkyVolumeSpec): Issue[] {
    return [...validateHosts(spec), ...validateVolumes(spec)];
}

function validateHosts(spec: SkyVolumeSpec): Issue[] {
    const issues: Issue[] = [];
    if (!Array.isArray(spec.hosts) || spec.hosts.length === 0) issues.push(issue("hosts", spec.hosts, "must list at least one host"));
    const hostNames = new Set<string>();
    (spec.hosts ?? []).forEach((host, i) => {
        if (!HOST_NAME_PATTERN.test(host.name ?? "")) {
            issues.push(
                issue(
                    `hosts[${i}].name`,
                    host.name,
                    "must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit",
                ),
            );
        } else if (hostNames.has(host.name)) {
            issues.push(issue(`hosts[${i}].name`, host.name, "must be unique among hosts"));
        }
        hostNames.add(host.name);
    });
    if (Array.isArray(spec.hosts)) issues.push(...sshHostIssues(spec.hosts, "hosts"));
    return issues;
}

/** The volumes', geesefs's and aptSource's rules: what SkyCompute checks before it declares machines,
 *  and what runs again at apply, on every value. */
export function validateVolumes(spec: Omit<SkyVolumeSpec, "hosts">): Issue[] {
    const issues: Issue[] = [];
    if (!Array.isArray(spec.volumes) || spec.volumes.length === 0)
        issues.push(issue("volumes", spec.volumes, "must list at least one volume"));
    const volumes = spec.volumes ?? [];
    volumes.forEach((volume, i) => validateVolume(volume, `volumes[${i}]`, issues));

    // Paths on one host: no two volumes at the same place, none inside another.
    volumes.forEach((a, i) => {
        volumes.forEach((b, j) => {
            if (j <= i || typeof a.mount !== "string" || typeof b.mount !== "string") return;
            if (a.mount === b.mount) issues.push(issue(`volumes[${j}].mount`, b.mount, `duplicates volumes[${i}].mount`));
            else if (isNested(a.mount, b.mount))
                issues.push(issue(`volumes[${j}].mount`, b.mount, `must not be inside volumes[${i}].mount "${a.mount}"`));
            else if (isNested(b.mount, a.mount))
                issues.push(issue(`volumes[${i}].mount`, a.mount, `must not be inside volumes[${j}].mount "${b.mount}"`));
        });
    });

    // One FUSE mount per bucket and host serves MOUNT and MOUNT_CACHED volumes: it has one mode.
    const fuseModes = new Map<string, { mode: string; index: number }>();
    volumes.forEach((volume, i) => {
        const mode = volume.mode ?? "MOUNT";
        if (mode === "COPY" || ![mode, volume.storage.endpoint, volume.storage.bucket].every(isKnown)) return;
        const key = `${volume.storage.endpoint}\n${volume.storage.bucket}`;
        const first = fuseModes.get(key);
        if (!first) fuseModes.set(key, { mode, index: i });
        else if (first.mode !== mode) {
            issues.push(
                issue(
                    `volumes[${i}].mode`,
                    mode,
                    `bucket "${volume.storage.bucket}" is mounted with ${first.mode} by volumes[${first.index}]; one bucket has one FUSE mount per host, so use one mode for both`,
                ),
            );
        }
    });

    issues.push(...validateOptions(spec));
    return issues;
}

/** geesefs's and aptSource's rules: what the install reads. */
export function validateOptions(spec: Pick<SkyVolumeSpec, "geesefs" | "aptSource">): Issue[] {
    const issues: Issue[] = [];
    const geesefs = spec.geesefs ?? {};
    if (geesefs.url !== undefined && isKnown(geesefs.url) && !isHttpUrl(geesefs.url))
        issues.push(issue("geesefs.url", geesefs.url, "must be a URL with scheme http:// or https://"));
    if (geesefs.sha256 !== undefined && isKnown(geesefs.sha256) && !SHA256_PATTERN.test(geesefs.sha256))
        issues.push(issue("geesefs.sha256", geesefs.sha256, "must be 64 lowercase hex digits"));
    // No default release: this project cannot fetch the official v0.43.8 asset to pin its checksum
    // (docs/TOOLCHAIN.md), and an unverified download is never installed.
    if (geesefs.url === undefined)
        issues.push(issue("geesefs.url", undefined, "required: the URL of the geesefs linux-amd64 binary to install"));
    if (geesefs.sha256 === undefined)
        issues.push(issue("geesefs.sha256", undefined, "required: the binary's sha256, checked before it is installed"));
    for (const [field, value] of Object.entries({
        memoryLimitMb: geesefs.memoryLimitMb,
        statCacheTtlSeconds: geesefs.statCacheTtlSeconds,
        cacheSizeMb: geesefs.cacheSizeMb,
        uid: geesefs.uid,
        gid: geesefs.gid,
    })) {
        const min = field === "uid" || field === "gid" ? 0 : field === "cacheSizeMb" ? MIN_CACHE_SIZE_MB : 1;
        if (value !== undefined && isKnown(value) && (!Number.isInteger(value) || value < min))
            issues.push(issue(`geesefs.${field}`, value, `must be a whole number >= ${min}`));
    }
    if (geesefs.shareWith !== undefined && isKnown(geesefs.shareWith) && !(SHARE_WITH as readonly string[]).includes(geesefs.shareWith))
        issues.push(issue("geesefs.shareWith", geesefs.shareWith, `must be one of ${SHARE_WITH.join(", ")}`));
    if (spec.aptSource !== undefined && isKnown(spec.aptSource) && !/^deb(-src)? /.test(spec.aptSource)) {
        issues.push(issue("aptSource", spec.aptSource, 'must be an apt source line starting with "deb "'));
    }
    return issues;
}
