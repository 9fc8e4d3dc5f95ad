// Plain view of SkyCompute's arguments for validation and planning: what its driver sees (the
// provider's block flattened in, see computeDrivers/driver.ts) and the node's own work.
import { MachineSpec } from "../computeDrivers/driver";

export interface SkyComputeSpec extends MachineSpec {
    workdir?: string;
    setup?: string;
    run?: string;
    /** The provider blocks that are set (ssh, aws, gcp, azure): only the provider's own may be. */
    blocks: string[];
}
