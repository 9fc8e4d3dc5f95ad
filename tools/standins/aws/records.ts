// What the AWS stand-in keeps between calls that the engine's state does not hand the next call, as
// AWS's control plane does: a key pair's public key (an Instance names only the key), an instance
// profile's role, a role's MinIO identity and its inline policies (an instance's metadata service
// reads the first three; a role is refused deletion while it has the last). One JSON file per
// record under the testbed's directory, so `testbed down` removes them with everything else.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { testbedDir } from "../../testbed/info";

export type RecordKind = "key-pairs" | "instance-profiles" | "roles" | "role-policies";

export interface KeyPairRecord {
    publicKey: string;
}

export interface InstanceProfileRecord {
    arn: string;
    uniqueId: string;
    /** The role's name; none: the profile grants nothing. */
    role?: string;
}

/** A role is a MinIO user; its secret signs the STS AssumeRole that gives an instance its credentials. */
export interface RoleRecord {
    minioUser: string;
    minioSecret: string;
}

export interface RolePolicyRecord {
    role: string;
}

const recordFile = (kind: RecordKind, name: string) => path.join(testbedDir, "standin-aws", kind, `${encodeURIComponent(name)}.json`);

export function writeRecord(kind: RecordKind, name: string, value: object): void {
    const file = recordFile(kind, name);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
}

export function readRecord<T>(kind: RecordKind, name: string): T | undefined {
    const file = recordFile(kind, name);
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
}

export function removeRecord(kind: RecordKind, name: string): void {
    rmSync(recordFile(kind, name), { force: true });
}

/** Every record of a kind, by name. */
export function listRecords<T>(kind: RecordKind): Array<{ name: string; record: T }> {
    const dir = path.dirname(recordFile(kind, "x"));
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
        .filter((file) => file.endsWith(".json"))
        .map((file) => ({
            name: decodeURIComponent(file.slice(0, -".json".length)),
            record: JSON.parse(readFileSync(path.join(dir, file), "utf8")) as T,
        }));
}
