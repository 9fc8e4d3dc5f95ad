// Rules for SkyCompute's own arguments (its volumes are checked by SkyVolume's rules).
import { Issue, issue } from "../internal/issues";
import { pathKind } from "../storage/validate";
import { COMPUTE_PROVIDERS, SkyComputeSpec } from "./spec";

export const MAX_NODES = 512;
const IPV4_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

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
    if (spec.provider === "aws" || spec.provider === "gcp" || spec.provider === "azure") {
        const cloud = spec.provider;
        if (!spec.hasSshKeys) issues.push(issue("sshPublicKey", undefined, `required with provider ${cloud}, with sshPrivateKey: the key pair skymount reaches the VMs with`));
        for (const v of spec.keylessVolumes ?? []) {
            const reachable =
                cloud === "aws" ? v.store === "s3" || /\.amazonaws\.com(\/|$)/.test(v.endpoint) : cloud === "gcp" ? v.store === "gcs" || /^https:\/\/storage\.googleapis\.com\/?$/.test(v.endpoint) : false;
            if (reachable) continue;
            const rule =
                cloud === "azure"
                    ? "required: geesefs reaches Azure Blob (and every other store) from Azure VMs only with keys; SkyStorage's ref carries the account key (the VMs' managed identity serves your own code)"
                    : `required: on provider ${cloud} only ${cloud === "aws" ? "S3" : "GCS"} buckets are reached through the machines' identity`;
            issues.push(issue(`volumes[${v.index}].storage.credentials`, undefined, rule));
        }
        if (spec.sshCidr !== undefined && !IPV4_CIDR.test(spec.sshCidr)) issues.push(issue(`${cloud}.sshCidr`, spec.sshCidr, "must be an IPv4 CIDR such as 203.0.113.0/24"));
    }
    if (spec.provider === "azure") {
        if (spec.image !== undefined && !/^[^:\s]+:[^:\s]+:[^:\s]+:[^:\s]+$/.test(spec.image)) {
            issues.push(issue("image", spec.image, 'must be an Azure image URN "publisher:offer:sku:version", such as "Canonical:ubuntu-24_04-lts:server:latest"'));
        }
        if (spec.vnetCidr !== undefined && (!IPV4_CIDR.test(spec.vnetCidr) || Number(spec.vnetCidr.split("/")[1]) > 24)) {
            issues.push(issue("azure.vnetCidr", spec.vnetCidr, "must be an IPv4 CIDR of /24 or larger, such as 10.42.0.0/16"));
        }
    }
    if (spec.workdir !== undefined) {
        const kind = kindOf(spec.workdir);
        if (kind !== "directory") issues.push(issue("workdir", spec.workdir, kind === "missing" ? "local path does not exist" : "must be a directory"));
    }
    return issues;
}
