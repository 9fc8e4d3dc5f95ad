// The EC2 network and image pieces skymount declares for `provider: "aws"`, in AWS's id and ARN
// formats: a security group (sg-…, state only: the testbed's hosts are not firewalled, so its SSH
// rule is not enforced), a key pair (named by keyName, with a key-… id; its public key recorded so
// an instance booted with it takes it, records.ts) and the getAmi data source (an ami-… id that
// depends only on the query, so the same query finds the same image and a no-op `up` stays one).
import { createHash, randomBytes } from "node:crypto";
import type { FunctionModel, Props, ResourceModel } from "../resourceModel";
import { ACCOUNT_ID, autoname } from "./iam";
import { readRecord, removeRecord, writeRecord } from "./records";

/** The region a resource names, else the provider's: the stand-in's provider has none configured. */
export const regionOf = (inputs: Props) => String(inputs.region ?? "us-east-1");

/** An EC2 id: the prefix and 17 hex digits (i-0123456789abcdef0). */
export const ec2Id = (prefix: string) => `${prefix}-${randomBytes(9).toString("hex").slice(0, 17)}`;

/** The region's default VPC, the same every time it is asked. */
export const defaultVpc = (region: string) => `vpc-${createHash("sha256").update(region).digest("hex").slice(0, 17)}`;

const securityGroupModel: ResourceModel = {
    replaceOn: ["name", "namePrefix", "description", "vpcId", "region"],
    defaults: (inputs, name, olds) => (inputs.name !== undefined ? {} : { name: autoname(name, olds) }),
    async create(inputs) {
        const id = ec2Id("sg");
        const region = regionOf(inputs);
        return {
            id,
            outs: {
                ...inputs,
                region,
                arn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:security-group/${id}`,
                ownerId: ACCOUNT_ID,
                vpcId: inputs.vpcId ?? defaultVpc(region),
                description: inputs.description ?? "Managed by Pulumi",
                revokeRulesOnDelete: inputs.revokeRulesOnDelete ?? false,
                tags: inputs.tags ?? {},
                tagsAll: inputs.tags ?? {},
            },
        };
    },
    read: async (_id, state) => state,
    update: async (_id, olds, news) => ({ ...olds, ...news }),
    async delete() {},
};

const PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( .*)?$/;

const keyPairModel: ResourceModel = {
    replaceOn: ["keyName", "keyNamePrefix", "publicKey", "region"],
    defaults: (inputs, name, olds) => (inputs.keyName !== undefined ? {} : { keyName: olds?.keyName ?? autoname(name, undefined) }),
    validate: (inputs) =>
        typeof inputs.publicKey === "string" && !PUBLIC_KEY.test(inputs.publicKey.trim())
            ? [{ property: "publicKey", reason: "InvalidKey.Format: Key is not in valid OpenSSH public key format" }]
            : [],
    async create(inputs) {
        const keyName = String(inputs.keyName);
        if (readRecord("key-pairs", keyName))
            throw new Error(`importing EC2 Key Pair (${keyName}): InvalidKeyPair.Duplicate: The keypair already exists`);
        const publicKey = String(inputs.publicKey).trim();
        writeRecord("key-pairs", keyName, { publicKey });
        const region = regionOf(inputs);
        const blob = Buffer.from(publicKey.split(" ")[1], "base64");
        return {
            id: keyName,
            outs: {
                ...inputs,
                region,
                keyPairId: ec2Id("key"),
                arn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:key-pair/${keyName}`,
                keyType: publicKey.startsWith("ssh-rsa") ? "rsa" : publicKey.startsWith("ssh-ed25519") ? "ed25519" : "ecdsa",
                // AWS's fingerprint of an imported ed25519 key: the SHA-256 of the key blob, base64.
                fingerprint: createHash("sha256").update(blob).digest("base64").replace(/=+$/, ""),
                tags: inputs.tags ?? {},
                tagsAll: inputs.tags ?? {},
            },
        };
    },
    read: async (id, state) => (readRecord("key-pairs", id) ? state : undefined),
    update: async (_id, olds, news) => ({ ...olds, ...news }),
    async delete(id) {
        removeRecord("key-pairs", id);
    },
};

/** aws:ec2/getAmi:getAmi: the newest image the query matches, named after its name filter. */
const getAmi = async (inputs: Props): Promise<Props> => {
    const query = { owners: inputs.owners, filters: inputs.filters, nameRegex: inputs.nameRegex, region: regionOf(inputs) };
    const id = `ami-${createHash("sha256").update(JSON.stringify(query)).digest("hex").slice(0, 17)}`;
    const filters = (inputs.filters as Array<{ name: string; values: string[] }> | undefined) ?? [];
    const namePattern = filters.find((f) => f.name === "name")?.values[0] ?? "stand-in-image-*";
    const owners = (inputs.owners as string[] | undefined) ?? [];
    return {
        ...inputs,
        id,
        imageId: id,
        arn: `arn:aws:ec2:${query.region}::image/${id}`,
        name: namePattern.replace(/\*/g, "20250115"),
        ownerId: owners[0] ?? ACCOUNT_ID,
        architecture: "x86_64",
        virtualizationType: "hvm",
        rootDeviceName: "/dev/sda1",
        rootDeviceType: "ebs",
        imageType: "machine",
        state: "available",
        public: true,
        creationDate: "2025-01-15T00:00:00.000Z",
        region: query.region,
    };
};

export const ec2Models: Record<string, ResourceModel> = {
    "aws:ec2/securityGroup:SecurityGroup": securityGroupModel,
    "aws:ec2/keyPair:KeyPair": keyPairModel,
};

export const ec2Functions: Record<string, FunctionModel> = { "aws:ec2/getAmi:getAmi": { invoke: getAmi } };
