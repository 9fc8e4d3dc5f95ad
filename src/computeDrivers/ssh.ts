// The ssh driver: existing hosts, reached over SSH as given. It declares nothing.
import { ComputeDriver } from "./driver";
import { machinesOf } from "./machines";
import { SshMachinePlan, sshPlanner } from "./sshPlan";

export const sshDriver: ComputeDriver<SshMachinePlan> = {
    ...sshPlanner,
    declare: (_name, plan) => machinesOf(plan.hosts, []),
};
