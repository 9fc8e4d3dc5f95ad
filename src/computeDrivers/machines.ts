// The one shape every driver hands back, built from its hosts.
import * as pulumi from "@pulumi/pulumi";
import { SshHost } from "../model/host";
import { CredentialValues } from "../model/storageRef";
import { DEFAULT_SSH_USER } from "../remote/connection";
import { Machines, SshKeyPair } from "./driver";

export function machinesOf(hosts: SshHost[], resources: pulumi.Resource[], keylessCredentials?: pulumi.Output<CredentialValues>): Machines {
    return {
        hosts,
        resources,
        addresses: pulumi.all(hosts.map((h) => h.host)),
        sshUsers: pulumi.all(hosts.map((h) => pulumi.output(h.user ?? DEFAULT_SSH_USER))),
        keylessCredentials,
    };
}

/** The key pair a cloud driver installs; validation refused its absence before anything was declared. */
export function requireKeys(provider: string, keys: SshKeyPair | undefined): SshKeyPair {
    if (keys === undefined)
        throw new Error(
            `sshPublicKey: (not set): required with provider ${provider}, with sshPrivateKey: the key pair skymount reaches the VMs with`,
        );
    return keys;
}
