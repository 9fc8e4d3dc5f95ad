// Valid arguments for every component, and what validation says when one of their properties is taken
// out or changed: the ground truth the schema's `required`, `requiredInputs` and `integer` types are
// checked against (schema.required.test.ts, schema.wholeNumbers.test.ts). The examples are the only
// hand-written part: which properties exist, and where they sit, is read from sdk/schema.json, so a
// property added to an Args interface is found (and must be given a place in some example).
import * as pulumi from "@pulumi/pulumi";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ed25519KeyPair } from "../support/sshKeyPair";

export type Args = Record<string, unknown>;
/** Where a value sits in an args object: property names, and 0 for a list's first item. */
export type ArgsPath = (string | number)[];

/** A property of a resource (its input) or of a type, by the short names in the schema. */
export interface Occurrence {
    owner: string;
    property: string;
    path: ArgsPath;
}

export interface Verdict {
    accepted: boolean;
    /** The paths and reasons of the issues, when refused. */
    issues: { propertyPath: string; reason: string }[];
}

interface PropertySchema {
    type?: string;
    $ref?: string;
    items?: PropertySchema;
}
interface PackageSchema {
    resources: Record<string, { inputProperties?: Record<string, PropertySchema>; requiredInputs?: string[] }>;
    types: Record<string, { properties?: Record<string, PropertySchema>; required?: string[]; enum?: unknown[] }>;
}

const keys = ed25519KeyPair();
const hostKey = ed25519KeyPair().public;
const workdir = mkdtempSync(path.join(tmpdir(), "skymount-probe-"));
writeFileSync(path.join(workdir, "a.txt"), "a");
mkdirSync(path.join(workdir, "models"));
writeFileSync(path.join(workdir, "models", "m.bin"), "m");

const sshHost = (name: string, address: string): Args => ({
    name,
    host: address,
    port: 2222,
    user: "root",
    privateKey: keys.private,
    hostKey,
});
const geesefs = (): Args => ({
    url: "http://mirror.test/geesefs-linux-amd64",
    sha256: "a".repeat(64),
    memoryLimitMb: 500,
    statCacheTtlSeconds: 5,
    shareWith: "group",
    fsyncOnClose: false,
    cacheSizeMb: 1024,
    uid: 1000,
    gid: 1000,
});
const storageRef = (): Args => ({
    store: "s3compatible",
    bucket: "datasets",
    endpoint: "http://10.0.0.1:9000",
    region: "us-east-1",
    pathStyle: true,
    credentials: { accessKey: "AK", secretKey: "SK" },
    readOnly: false,
    azureScope: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a/blobServices/default/containers/c",
    filledBy: [],
});
const volume = (): Args => ({ storage: storageRef(), mount: "/data", prefix: "runs/1", readOnly: false, mode: "MOUNT_CACHED" });
const s3Compatible = (): Args => ({
    endpoint: "http://10.0.0.1:9000",
    region: "us-east-1",
    pathStyle: true,
    accessKey: "AK",
    secretKey: "SK",
});
const cloudKeys = { sshPublicKey: keys.public, sshPrivateKey: keys.private };

/**
 * Valid arguments per component (short name). Together they hold every property of every type the
 * component's inputs reach; a property that only some configurations allow has an example without it.
 */
export const EXAMPLES: Record<string, (() => Args)[]> = {
    SkyVolume: [
        () => ({
            hosts: [sshHost("h1", "10.0.0.11")],
            volumes: [volume()],
            geesefs: geesefs(),
            aptSource: "deb http://mirror.test/ubuntu noble main",
        }),
    ],
    SkyStorage: [
        () => ({
            name: "datasets",
            source: workdir,
            persistent: false,
            region: "us-east-1",
            prefix: "in",
            ignore: ["*.tmp"],
            records: "s3://datasets/records/",
            s3Compatible: s3Compatible(),
        }),
        () => ({ name: "datasets", sources: [path.join(workdir, "models")], store: "s3compatible", s3Compatible: s3Compatible() }),
        () => ({ source: "s3://public-data" }),
        () => ({ name: "open-data", s3Compatible: { endpoint: "http://10.0.0.1:9000" } }),
        () => ({ name: "team-data", store: "s3", aws: { versioning: true, hostKeys: true } }),
        () => ({ name: "team-data", store: "gcs", gcp: { project: "p1" } }),
        () => ({ name: "team-data", store: "azure", azure: { resourceGroupName: "rg", storageAccountName: "skyteamdata1" } }),
        () => ({
            name: "team-data",
            azure: { storageAccountName: "devstoreaccount1", endpoint: "http://10.0.0.1:10000/devstoreaccount1", accountKey: "a2V5" },
        }),
        () => ({
            name: "team-data",
            store: "r2",
            s3Compatible: { preset: "r2", accountId: "0123456789abcdef", accessKey: "AK", secretKey: "SK" },
        }),
    ],
    SkyCompute: [
        () => ({
            provider: "ssh",
            nodes: 1,
            ssh: { hosts: [sshHost("h1", "10.0.0.11")] },
            volumes: [volume()],
            geesefs: geesefs(),
            aptSource: "deb http://mirror.test/ubuntu noble main",
            workdir,
            setup: "true",
            run: "sleep 1",
        }),
        () => ({
            provider: "aws",
            nodes: 2,
            instanceType: "t3.small",
            image: "ami-123",
            region: "eu-west-1",
            ...cloudKeys,
            aws: { sshCidr: "10.0.0.0/8", sshUser: "admin" },
        }),
        () => ({
            provider: "gcp",
            zone: "europe-west1-b",
            image: "projects/p/global/images/i",
            ...cloudKeys,
            gcp: { project: "p1", sshCidr: "10.0.0.0/8", sshUser: "admin" },
        }),
        () => ({
            provider: "azure",
            region: "westeurope",
            image: "Canonical:ubuntu-24_04-lts:server:latest",
            ...cloudKeys,
            azure: { resourceGroupName: "rg", sshCidr: "10.0.0.0/8", sshUser: "admin", vnetCidr: "10.1.0.0/16" },
        }),
    ],
};

const shortName = (token: string) => token.slice(token.lastIndexOf(":") + 1);

/** The schema's properties of a resource's inputs or a type, by short name. */
export function propertiesOf(schema: PackageSchema, owner: string): Record<string, PropertySchema> {
    const resource = schema.resources[`skymount:index:${owner}`];
    return (resource ? resource.inputProperties : schema.types[`skymount:index:${owner}`]?.properties) ?? {};
}

/** Whether the schema requires the property of a resource's inputs or a type. */
export function isRequired(schema: PackageSchema, owner: string, property: string): boolean {
    const resource = schema.resources[`skymount:index:${owner}`];
    return (resource ? resource.requiredInputs : schema.types[`skymount:index:${owner}`]?.required)?.includes(property) ?? false;
}

/**
 * Every property given in `args` (of the component `owner`), walked through the schema's object types
 * and lists' first items; and every property the schema knows that an args object reached leaves out.
 */
export function walk(schema: PackageSchema, owner: string, args: Args): { given: Occurrence[]; absent: Occurrence[] } {
    const given: Occurrence[] = [];
    const absent: Occurrence[] = [];
    const visit = (owner: string, value: Args, at: ArgsPath) => {
        for (const [property, definition] of Object.entries(propertiesOf(schema, owner))) {
            const path = [...at, property];
            const inner = value[property];
            if (inner === undefined) {
                absent.push({ owner, property, path });
                continue;
            }
            given.push({ owner, property, path });
            const ref = definition.$ref ?? definition.items?.$ref;
            const type = ref === undefined ? undefined : shortName(ref);
            if (type === undefined || schema.types[`skymount:index:${type}`]?.enum) continue;
            const item = definition.items ? (inner as unknown[])[0] : inner;
            if (item !== undefined) visit(type, item as Args, definition.items ? [...path, 0] : path);
        }
    };
    visit(owner, args, []);
    return { given, absent };
}

/** `args` with the value at `path` removed (`undefined`) or replaced; the rest shared. */
export function withValueAt(args: Args, path: ArgsPath, value: unknown): Args {
    const [head, ...rest] = path;
    const copy = (Array.isArray(args) ? [...args] : { ...args }) as Record<string | number, unknown>;
    if (rest.length) copy[head] = withValueAt(copy[head] as Args, rest, value);
    else if (value === undefined && !Array.isArray(args)) delete copy[head];
    else copy[head] = value;
    return copy as Args;
}

/** `volumes[0].storage.bucket`: a path as the issues name it. */
export function pathText(path: ArgsPath): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/**
 * Mocks under which every example's resources register: the outputs of clouds the drivers read, and
 * the two invokes they make (the default AMI; an Azure account's keys).
 */
export async function installProbeMocks(): Promise<void> {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const computed = {
                    publicIp: `ip-${args.name}`,
                    networkInterfaces: [{ accessConfigs: [{ natIp: `nat-${args.name}` }] }],
                    ipAddress: `pip-${args.name}`,
                    principalId: `${args.name}-principal`,
                    stdout: "",
                    summary: "",
                };
                return { id: `${args.name}-id`, state: { name: args.name, ...args.inputs, ...computed } };
            },
            call: (args) => {
                if (args.token === "aws:ec2/getAmi:getAmi") return { id: "ami-default" };
                if (args.token === "azure-native:storage:listStorageAccountKeys")
                    return { keys: [{ keyName: "key1", permissions: "Full", value: "KEY" }] };
                throw new Error(`unexpected invoke ${args.token}`);
            },
        },
        "project",
        "stack",
        false,
    );
}

let constructed = 0;

/**
 * Constructs the component under the mocks installed by the caller and reports whether validation
 * refused the arguments: a throw from the constructor, or (for arguments validation settles first) an
 * InputPropertiesError from one of its outputs.
 */
export async function verdictOf(component: string, args: Args): Promise<Verdict> {
    const components = (await import("../../src")) as unknown as Record<
        string,
        new (name: string, args: Args, opts?: pulumi.ComponentResourceOptions) => Record<string, unknown>
    >;
    const refused = (err: unknown): Verdict => {
        if (!pulumi.InputPropertiesError.isInstance(err)) throw err;
        return { accepted: false, issues: err.errors.map((e) => ({ propertyPath: e.propertyPath, reason: e.reason })) };
    };
    let instance: Record<string, unknown>;
    try {
        instance = new components[component](`probe${++constructed}`, args);
    } catch (err) {
        return refused(err);
    }
    const outputs = Object.values(instance).filter((v) => pulumi.Output.isInstance(v)) as pulumi.Output<unknown>[];
    try {
        await Promise.all(outputs.map((o) => (o as unknown as { promise(): Promise<unknown> }).promise()));
    } catch (err) {
        return refused(err);
    }
    return { accepted: true, issues: [] };
}
