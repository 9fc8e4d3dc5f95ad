// The ssh driver's rules and plan: existing hosts, taken as they are (their connection fields checked
// where they are known at preview). Pure.
import { issue, Issue } from "../internal/issues";
import { SshHost } from "../model/host";
import { sshHostIssues, sshHostSpecOf } from "../remote/hostRules";
import { MachinePlanner } from "./driver";

export interface SshMachinePlan {
    hosts: SshHost[];
}

export const sshPlanner: MachinePlanner<SshMachinePlan> = {
    validate: (spec) => {
        const issues: Issue[] = [];
        const names = spec.hosts?.map((h) => h.name);
        if (!names || names.length === 0) issues.push(issue("ssh.hosts", names, 'must list the existing hosts for provider "ssh"'));
        else if (spec.nodes !== undefined && !Number.isInteger(spec.nodes))
            issues.push(issue("nodes", spec.nodes, "must be a whole number"));
        else if (spec.nodes !== undefined && spec.nodes !== names.length) {
            issues.push(issue("nodes", spec.nodes, `must equal the number of ssh.hosts (${names.length}), or be left out`));
        }
        if (names && names.length > 0) issues.push(...sshHostIssues(spec.hosts!.map(sshHostSpecOf), "ssh.hosts"));
        return issues;
    },

    plan: (spec) => ({ hosts: spec.hosts ?? [] }),
};
