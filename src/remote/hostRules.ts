// The rules an SSH host's fields must satisfy, checked at preview when the values are known there:
// a field given as an Output (a VM's address, a generated key) is checked when it is used instead
// (sshExec.ts fails at once, naming the host, on what retrying cannot fix). Shared by SkyVolume's
// `hosts` and SkyCompute's `ssh.hosts`. Pure.
import { Issue, issue } from "../internal/issues";
import type { SshHost } from "../model/host";
import { DEFAULT_SSH_PORT } from "./connection";
import { hostKeyProblem, privateKeyProblem } from "./sshKeys";

/** A host as validation sees it: the fields known at preview, the key reduced to whether it parses. */
export interface SshHostSpec {
    name: string;
    /** The address, when given as a plain string. */
    address?: string;
    /** The port, when given as a plain number. */
    port?: number;
    /** Why the private key does not parse, when it was given as a plain string. */
    privateKeyProblem?: string;
    /** The host key line, when given as a plain string. */
    hostKey?: string;
    /** The fields a host cannot go without that were not given at all. */
    missing?: ("host" | "privateKey")[];
}

/** What each field a host cannot go without is for, said when it is missing. */
const REQUIRED_FIELDS = { host: "the host's address", privateKey: "the SSH private key skymount logs in with" } as const;

/** Plain values only: an Output or a Promise is not known at preview. */
const plain = <T extends "string" | "number">(value: unknown, type: T) => (typeof value === type ? value : undefined);

export function sshHostSpecOf(host: SshHost): SshHostSpec {
    const privateKey = plain(host.privateKey, "string") as string | undefined;
    return {
        name: host.name,
        address: plain(host.host, "string") as string | undefined,
        port: plain(host.port, "number") as number | undefined,
        privateKeyProblem: privateKey === undefined ? undefined : privateKeyProblem(privateKey),
        hostKey: plain(host.hostKey, "string") as string | undefined,
        missing: (Object.keys(REQUIRED_FIELDS) as (keyof typeof REQUIRED_FIELDS)[]).filter((field) => host[field] === undefined),
    };
}

/** Issues of each host (`<at>[i].<field>`), and of one address listed under two names. */
export function sshHostIssues(hosts: SshHostSpec[], at: string): Issue[] {
    const issues: Issue[] = [];
    const places = new Map<string, number>();
    hosts.forEach((host, i) => {
        const where = `${at}[${i}]`;
        for (const field of host.missing ?? []) issues.push(issue(`${where}.${field}`, undefined, `required: ${REQUIRED_FIELDS[field]}`));
        if (host.address !== undefined && host.address.trim() === "")
            issues.push(issue(`${where}.host`, host.address, "must be a host name or IP address"));
        else if (host.address !== undefined && /\s/.test(host.address))
            issues.push(issue(`${where}.host`, host.address, "must be a host name or IP address (no spaces)"));
        if (host.port !== undefined && !(Number.isInteger(host.port) && host.port >= 1 && host.port <= 65535))
            issues.push(issue(`${where}.port`, host.port, "must be a whole number from 1 to 65535"));
        // The key itself is never shown.
        if (host.privateKeyProblem !== undefined)
            issues.push({
                path: `${where}.privateKey`,
                value: "(secret)",
                rule: `must be an OpenSSH or PEM private key: ${host.privateKeyProblem}`,
            });
        const hostKeyRule = host.hostKey === undefined ? undefined : hostKeyProblem(host.hostKey);
        if (hostKeyRule !== undefined) issues.push(issue(`${where}.hostKey`, host.hostKey, hostKeyRule));
        if (host.address === undefined || host.address.trim() === "") return;
        const place = `${host.address}:${host.port ?? DEFAULT_SSH_PORT}`;
        const first = places.get(place);
        if (first === undefined) places.set(place, i);
        else
            issues.push(
                issue(
                    `${where}.host`,
                    host.address,
                    `${place} is also ${at}[${first}] ("${hosts[first].name}"); list each host once (two names would mount everything twice on one machine)`,
                ),
            );
    });
    return issues;
}
