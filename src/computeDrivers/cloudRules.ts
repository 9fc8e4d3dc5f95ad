// The rules the three cloud drivers share: how many nodes, a key pair to reach them with, volumes
// without keys only where the machines' identity reaches them, and a CIDR for SSH. Pure.
import { Issue, issue } from "../internal/issues";
import { MachineSpec } from "./driver";

export const MAX_NODES = 512;
export const IPV4_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

export interface CloudIdentity {
    /** Whether the machines' identity reaches a volume that has no keys of its own. */
    reaches(volume: { store?: string; endpoint: string }): boolean;
    /** The rule a keyless volume it cannot reach breaks. */
    keylessRule: string;
}

export function validateCloudMachines(spec: MachineSpec, cloud: string, identity: CloudIdentity): Issue[] {
    const issues: Issue[] = [];
    if (spec.nodes !== undefined && (!Number.isInteger(spec.nodes) || spec.nodes < 1 || spec.nodes > MAX_NODES)) {
        issues.push(issue("nodes", spec.nodes, `must be a whole number from 1 to ${MAX_NODES}`));
    }
    if (!spec.hasSshKeys)
        issues.push(
            issue(
                "sshPublicKey",
                undefined,
                `required with provider ${cloud}, with sshPrivateKey: the key pair skymount reaches the VMs with`,
            ),
        );
    (spec.volumes ?? []).forEach((v, index) => {
        if (!v.hasCredentials && !identity.reaches(v))
            issues.push(issue(`volumes[${index}].storage.credentials`, undefined, identity.keylessRule));
    });
    if (spec.sshCidr !== undefined && !IPV4_CIDR.test(spec.sshCidr))
        issues.push(issue(`${cloud}.sshCidr`, spec.sshCidr, "must be an IPv4 CIDR such as 203.0.113.0/24"));
    return issues;
}

/** The volumes the machines' identity must reach: those without keys of their own. */
export function keylessVolumes(spec: MachineSpec): NonNullable<MachineSpec["volumes"]> {
    return (spec.volumes ?? []).filter((v) => !v.hasCredentials);
}
