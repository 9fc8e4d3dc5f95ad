// The ssh driver's rules and plan: existing hosts, taken as they are. Pure.
import { issue, Issue } from "../internal/issues";
import { VolumeHostArgs } from "../model/host";
import { MachinePlanner } from "./driver";

export interface SshMachinePlan {
    hosts: VolumeHostArgs[];
}

export const sshPlanner: MachinePlanner<SshMachinePlan> = {
    validate: (spec) => {
        const issues: Issue[] = [];
        if (!spec.sshHosts || spec.sshHosts.length === 0) issues.push(issue("ssh.hosts", spec.sshHosts, 'must list the existing hosts for provider "ssh"'));
        else if (spec.nodes !== undefined && spec.nodes !== spec.sshHosts.length) {
            issues.push(issue("nodes", spec.nodes, `must equal the number of ssh.hosts (${spec.sshHosts.length}), or be left out`));
        }
        return issues;
    },

    plan: (spec) => ({ hosts: spec.hosts ?? [] }),
};
