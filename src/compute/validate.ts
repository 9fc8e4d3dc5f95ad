// Rules for SkyCompute's own arguments (its volumes are checked by SkyVolume's rules).
import { Issue, issue } from "../internal/issues";
import { pathKind } from "../storage/validate";
import { COMPUTE_PROVIDERS, SkyComputeSpec } from "./spec";

export const MAX_NODES = 512;

export function validateSkyCompute(spec: SkyComputeSpec, kindOf = pathKind): Issue[] {
    const issues: Issue[] = [];
    if (!(COMPUTE_PROVIDERS as readonly string[]).includes(spec.provider)) {
        issues.push(issue("provider", spec.provider, `must be one of ${COMPUTE_PROVIDERS.join(", ")}`));
        return issues;
    }
    const others = spec.blocks.filter((b) => b !== spec.provider);
    if (others.length) issues.push(issue(others.join(", "), "set", `only the ${spec.provider} block goes with provider "${spec.provider}"`));
    if (spec.provider === "ssh") {
        if (!spec.sshHosts || spec.sshHosts.length === 0) issues.push(issue("ssh.hosts", spec.sshHosts, 'must list the existing hosts for provider "ssh"'));
        else if (spec.nodes !== undefined && spec.nodes !== spec.sshHosts.length) {
            issues.push(issue("nodes", spec.nodes, `must equal the number of ssh.hosts (${spec.sshHosts.length}), or be left out`));
        }
    } else if (spec.nodes !== undefined && (!Number.isInteger(spec.nodes) || spec.nodes < 1 || spec.nodes > MAX_NODES)) {
        issues.push(issue("nodes", spec.nodes, `must be a whole number from 1 to ${MAX_NODES}`));
    }
    if (spec.provider === "azure") {
        issues.push(issue("provider", spec.provider, 'declaring VMs on this provider is not implemented yet; use "aws", "gcp", or "ssh" with existing hosts'));
    }
    if (spec.provider === "aws" || spec.provider === "gcp") {
        const cloud = spec.provider;
        if (!spec.hasSshKeys) issues.push(issue("sshPublicKey", undefined, `required with provider ${cloud}, with sshPrivateKey: the key pair skymount reaches the VMs with`));
        for (const v of spec.keylessVolumes ?? []) {
            const reachable = cloud === "aws" ? v.store === "s3" || /\.amazonaws\.com(\/|$)/.test(v.endpoint) : v.store === "gcs" || /^https:\/\/storage\.googleapis\.com\/?$/.test(v.endpoint);
            if (!reachable) {
                issues.push(issue(`volumes[${v.index}].storage.credentials`, undefined, `required: on provider ${cloud} only ${cloud === "aws" ? "S3" : "GCS"} buckets are reached through the machines' identity`));
            }
        }
        if (spec.sshCidr !== undefined && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(spec.sshCidr)) issues.push(issue(`${cloud}.sshCidr`, spec.sshCidr, "must be an IPv4 CIDR such as 203.0.113.0/24"));
    }
    if (spec.workdir !== undefined) {
        const kind = kindOf(spec.workdir);
        if (kind !== "directory") issues.push(issue("workdir", spec.workdir, kind === "missing" ? "local path does not exist" : "must be a directory"));
    }
    return issues;
}
