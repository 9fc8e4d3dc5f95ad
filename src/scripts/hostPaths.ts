// Where skymount puts the programs it installs on a host. Nothing else is installed outside
// skymount's own directories (/etc/skymount, /var/lib/skymount, /var/cache/skymount).

/** geesefs, fetched from the URL the user gives and checked against its sha256. */
export const GEESEFS_BINARY = "/usr/local/bin/geesefs";

/** skymount's mount helper (see mountHelper.ts): what every geesefs fstab entry names. */
export const MOUNT_HELPER = "/usr/local/sbin/skymount-geesefs";
