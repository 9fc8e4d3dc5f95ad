// Plain view of SkyCompute's arguments for validation and planning: what its driver sees (the
// provider's block flattened in, see computeDrivers/driver.ts, which is below this layer and so
// declares its view itself) and the node's own work, derived from the args (args.ts).
import { MachineSpec } from "../computeDrivers/driver";
import type { Known } from "../model/known";
import type { SkyComputeArgs } from "../model/computeArgs";

export type SkyComputeSpec = MachineSpec &
    Known<Pick<SkyComputeArgs, "workdir" | "setup" | "run">> & {
        /** The provider blocks that are set (ssh, aws, gcp, azure): only the provider's own may be. */
        blocks: string[];
    };
