// Plain view of SkyCompute's arguments for validation and planning, derived from the args
// (model/computeArgs.ts): what its driver sees (MachineSpec, the provider's block flattened in) and the
// node's own work.
import { MachineSpec } from "../computeDrivers/driver";
import type { Known } from "../model/known";
import type { SkyComputeArgs } from "../model/computeArgs";

export type SkyComputeSpec = MachineSpec &
    Known<Pick<SkyComputeArgs, "workdir" | "setup" | "run">> & {
        /** The provider blocks that are set (ssh, aws, gcp, azure): only the provider's own may be. */
        blocks: string[];
    };
