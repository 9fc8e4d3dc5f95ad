// Every path skymount uses on a host. Nothing is installed outside skymount's own directories
// (/etc/skymount, /var/lib/skymount, /var/cache/skymount, /var/log/skymount) but the two programs
// below and SkyCompute's workdir.

/** geesefs, fetched from the URL the user gives and checked against its sha256. */
export const GEESEFS_BINARY = "/usr/local/bin/geesefs";

/** skymount's mount helper (see mountHelper.ts): what every geesefs fstab entry names. */
export const MOUNT_HELPER = "/usr/local/sbin/skymount-geesefs";

/** skymount's supervisor (see supervisor.ts): brings dead or hung FUSE mounts back, with their bind mounts. */
export const SUPERVISOR = "/usr/local/sbin/skymount-supervisor";

/** skymount's state: FUSE mount points (mnt/), COPY volumes (copies/, copying/), mount fingerprints
 *  (specs/), presents' markers (presents/), what the supervisor heals (supervised/), who holds each
 *  FUSE mount (holders/), the run's pid. */
export const STATE_ROOT = "/var/lib/skymount";
/** skymount's configuration: the keys. */
export const CREDENTIALS_ROOT = "/etc/skymount";
/** Keys of the mounts, one 0600 file (or, for a mount that needs a wrapper, a 0700 directory) each. */
export const CREDENTIALS_DIR = `${CREDENTIALS_ROOT}/credentials`;
/** geesefs's logs, one per mount, and the run's log. */
export const LOG_DIR = "/var/log/skymount";
/** MOUNT_CACHED's disk caches: one ext4 image and its mount point per mount. */
export const CACHE_ROOT = "/var/cache/skymount";
/** Root's alone (0700): keys, logs (which name objects), the supervisor's state and the disk caches
 *  (bucket data). Other accounts reach a bucket only through its volumes, as their modes allow. */
export const PRIVATE_DIRS: readonly string[] = [CREDENTIALS_ROOT, STATE_ROOT, LOG_DIR, CACHE_ROOT];

/** One file per FUSE mount the supervisor heals (`<id>`: its directory, its cache's and its store's
 *  endpoint): written by the mount script, removed by the unmount script before it unmounts. */
export const SUPERVISED_DIR = `${STATE_ROOT}/supervised`;
/** `<mount id>/<holder>`: one file per volume (of any stack) that holds the bucket's mount on this
 *  host. The FUSE mount is unmounted when its last holder goes. */
export const HOLDERS_DIR = `${STATE_ROOT}/holders`;
/** What the supervisor did: every heal, with its reason and how long it took. */
export const SUPERVISOR_LOG = `${LOG_DIR}/supervisor.log`;
/** Held by the running supervisor for its whole life: at most one per host (/run is empty after a boot). */
export const SUPERVISOR_LOCK = "/run/skymount-supervisor.lock";
/** Held while a mount is healed, and while the unmount script takes a mount off the supervised list,
 *  so the supervisor never remounts what destroy is unmounting. */
export const HEAL_LOCK = "/run/skymount-heal.lock";
/** Hosts run by systemd: one service per FUSE mount (skymount-<id>.service) and the supervisor's. */
export const SYSTEMD_UNIT_DIR = "/etc/systemd/system";

/** The lock every edit of /etc/fstab holds (hostScripts/fstab.ts). */
export const FSTAB_LOCK = "/run/skymount-fstab.lock";

/** SkyCompute: the workdir on a node, its `run` log and pid. */
export const WORKDIR = "/root/sky_workdir";
export const JOB_LOG = `${LOG_DIR}/run.log`;
export const JOB_PID = `${STATE_ROOT}/run.pid`;
/** The process group `run` runs in (its session leader's pid): what a restart or a delete stops. */
export const JOB_PGID = `${STATE_ROOT}/run.pgid`;
