// Provider name → the pure half of its driver (rules and plan). What validation and planning look
// up; registry.ts adds each driver's `declare`. The order here is the order error messages list.
import { awsPlanner } from "./awsPlan";
import { azurePlanner } from "./azurePlan";
import { ComputeProvider } from "../model/enums";
import { MachineSpec } from "./driver";
import { gcpPlanner } from "./gcpPlan";
import { sshPlanner } from "./sshPlan";

// Keyed by the one ComputeProvider enum (model/enums.ts): a provider without a planner, or a planner
// without a provider, does not type-check.
export const COMPUTE_PLANNERS = {
    aws: awsPlanner,
    gcp: gcpPlanner,
    azure: azurePlanner,
    ssh: sshPlanner,
} satisfies Record<ComputeProvider, unknown>;
export const COMPUTE_PROVIDERS = Object.keys(COMPUTE_PLANNERS) as ComputeProvider[];

/** The plan a provider's driver declares from. */
export type MachinePlanOf<P extends ComputeProvider> = ReturnType<(typeof COMPUTE_PLANNERS)[P]["plan"]>;

/** A driver's plan with the provider it belongs to. */
export type DriverPlan = { [P in ComputeProvider]: { provider: P; machines: MachinePlanOf<P> } }[ComputeProvider];

export function isComputeProvider(name: string): name is ComputeProvider {
    return Object.prototype.hasOwnProperty.call(COMPUTE_PLANNERS, name);
}

/** The driver's plan for a validated spec. */
export function planMachines(provider: ComputeProvider, spec: MachineSpec): DriverPlan {
    return { provider, machines: COMPUTE_PLANNERS[provider].plan(spec) } as DriverPlan;
}
