// From a validated SkyCompute spec to what gets declared: the driver's plan (every default resolved,
// the volumes' grants merged, Azure's image parsed), and the node's own work with what reruns it.
// Pure: the same spec always gives the same plan.
import { createHash } from "node:crypto";
import * as path from "node:path";
import { COMPUTE_PROVIDERS, DriverPlan, isComputeProvider, planMachines } from "../computeDrivers/planners";
import { SkyComputeSpec } from "./spec";

export interface ComputePlan {
    /** The driver and its plan. */
    driver: DriverPlan;
    /** The local directory unpacked on every node, absolute (a relative one is resolved against the program's directory). */
    workdir?: string;
    /** Run in the workdir on every node, in the foreground. */
    setup?: string;
    /** Started detached in the workdir on every node. */
    run?: string;
}

/** Throws on a spec validation would have refused (an Azure image that is no URN), never declares half a plan. */
export function planSkyCompute(spec: SkyComputeSpec): ComputePlan {
    if (!isComputeProvider(spec.provider))
        throw new Error(`provider: ${JSON.stringify(spec.provider)}: must be one of ${COMPUTE_PROVIDERS.join(", ")}`);
    return {
        driver: planMachines(spec.provider, spec),
        workdir: spec.workdir === undefined ? undefined : path.resolve(spec.workdir),
        setup: spec.setup,
        run: spec.run,
    };
}

/** What restarts `run`: a new workdir or a new setup. (`setup` itself reruns when it or the workdir changes.) */
export function runTrigger(archiveSha256: string, setup: string): string {
    return `${archiveSha256}${createHash("sha256").update(setup).digest("hex")}`;
}
