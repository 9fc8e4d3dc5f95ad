// The one shape every driver hands back, built from its hosts.
import * as pulumi from "@pulumi/pulumi";
import { SshHost } from "../model/host";
import { CredentialValues } from "../model/storageRef";
import { DEFAULT_SSH_USER } from "../remote/connection";
import { ComputeDriver, MachinePlanner, Machines, SshKeyPair } from "./driver";

export function machinesOf(hosts: SshHost[], resources: pulumi.Resource[], keylessCredentials?: pulumi.Output<CredentialValues>): Machines {
    return {
        hosts,
        resources,
        addresses: pulumi.all(hosts.map((h) => h.host)),
        sshUsers: pulumi.all(hosts.map((h) => pulumi.output(h.user ?? DEFAULT_SSH_USER))),
        keylessCredentials,
    };
}

/** Machine `i` of a cloud driver as an SSH host: "node-<i>", reached with the key pair the driver installed. */
export function nodeHost(i: number, host: pulumi.Input<string>, user: string, ssh: SshKeyPair): SshHost {
    return { name: `node-${i}`, host, user, privateKey: ssh.privateKey };
}

/** A cloud driver: its planner, and `declare` given the key pair it installs. */
export function cloudDriver<Plan>(
    provider: string,
    planner: MachinePlanner<Plan>,
    declare: (name: string, plan: Plan, ssh: SshKeyPair, parent: pulumi.Resource) => Machines,
): ComputeDriver<Plan> {
    return { ...planner, declare: (name, plan, keys, parent) => declare(name, plan, requireKeys(provider, keys), parent) };
}

/** The key pair a cloud driver installs; validation refused its absence before anything was declared. */
function requireKeys(provider: string, keys: SshKeyPair | undefined): SshKeyPair {
    if (keys === undefined)
        throw new Error(
            `sshPublicKey: (not set): required with provider ${provider}, with sshPrivateKey: the key pair skymount reaches the VMs with`,
        );
    return keys;
}
