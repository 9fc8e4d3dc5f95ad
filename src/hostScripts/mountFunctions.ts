// Shell functions for a bucket's FUSE mount and the bind mounts that present its volumes
// (sh/mountFunctions.sh): geesefs_pids, binds_into, mounted_binds_into, release, drain_unmount,
// placeholder, mount_jobs_done, rebind. They need FSTAB_FUNCTIONS defined first.
import { shellFunctions } from "./scriptFiles";

export const MOUNT_FUNCTIONS = shellFunctions("mountFunctions.sh");
