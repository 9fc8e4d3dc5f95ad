// Shell functions for the fstab entries skymount owns (sh/fstabFunctions.sh): fstab_set, fstab_remove,
// fstab_reading (mount(8) under the lock), is_mounted, unmount, fail.
import { FSTAB_LOCK } from "./hostPaths";
import { shellFunctions } from "./scriptFiles";

export const FSTAB_FUNCTIONS = shellFunctions("fstabFunctions.sh", { fstab_lock: FSTAB_LOCK });
