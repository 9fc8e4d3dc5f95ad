// Provider name → compute driver. Adding a provider: its planner in planners.ts, its driver here;
// the mapped type below refuses a registry whose names differ from the planners'.
import type * as pulumi from "@pulumi/pulumi";
import { awsDriver } from "./aws";
import { azureDriver } from "./azure";
import { ComputeDriver, Machines, SshKeyPair } from "./driver";
import { gcpDriver } from "./gcp";
import { ComputeProvider } from "../model/enums";
import { DriverPlan, MachinePlanOf } from "./planners";
import { sshDriver } from "./ssh";

export const COMPUTE_DRIVERS: { [P in ComputeProvider]: ComputeDriver<MachinePlanOf<P>> } = {
    aws: awsDriver,
    gcp: gcpDriver,
    azure: azureDriver,
    ssh: sshDriver,
};

/** Declares the machines of a driver's plan with that driver. */
export function declareMachines(name: string, plan: DriverPlan, keys: SshKeyPair | undefined, parent: pulumi.Resource): Machines {
    const driver = COMPUTE_DRIVERS[plan.provider] as ComputeDriver<DriverPlan["machines"]>;
    return driver.declare(name, plan.machines, keys, parent);
}
