// The supervisor's lookup probe (sh/lookupProbe.sh): every 30 s, in the background, a lookup of a
// fresh name under each mount's root, which geesefs must ask its store about; a mount whose lookups
// hang while its store answers the supervisor's own request is stuck, and healed as a hung mount is.
import { shellFunctions } from "./scriptFiles";

export interface LookupProbeTimings {
    /** Seconds between two probes of one mount. */
    intervalSeconds: number;
    /** How long the first lookup may take: three of geesefs's 30 s HTTP timeouts. */
    lookupSeconds: number;
    /** How long the second lookup, made once the store answered, may take. */
    confirmSeconds: number;
    /** How long the store may take to answer the supervisor's request. */
    storeSeconds: number;
}

export const LOOKUP_PROBE_TIMINGS: LookupProbeTimings = { intervalSeconds: 30, lookupSeconds: 90, confirmSeconds: 60, storeSeconds: 5 };

export function lookupProbeFunctions(timings: LookupProbeTimings = LOOKUP_PROBE_TIMINGS): string[] {
    return shellFunctions("lookupProbe.sh", {
        lookup_interval_seconds: timings.intervalSeconds,
        lookup_seconds: timings.lookupSeconds,
        confirm_seconds: timings.confirmSeconds,
        store_seconds: timings.storeSeconds,
    });
}
