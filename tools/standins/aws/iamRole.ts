// The instance identity skymount declares for `provider: "aws"`: an IAM role, its inline policy and
// the instance profile an EC2 instance names, in AWS's id and ARN formats, enforced by the data
// plane's server. A role is a MinIO user (named by a digest of the role's name) with a secret only
// the stand-in holds (records.ts); its inline policy is a MinIO policy attached to that user, so the
// temporary credentials an instance's metadata service gets for it from MinIO's STS (imds/) carry
// exactly skymount's generated policy. AWS's refusals that a wrong graph would meet are kept: a
// policy that is not JSON, a policy or profile naming a role that does not exist, and deleting a
// role that still has policies or profiles. Limits: one inline policy per role is enforced (a second
// replaces the first's attachment); the trust policy, path and tags are state only.
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { randomBytes } from "node:crypto";
import { madminEncrypt, minioAdmin } from "../../testbed/minioAdmin";
import type { Props, ResourceModel } from "../resourceModel";
import { dataPlaneRoot } from "./dataPlane";
import { ACCOUNT_ID, autoname, digest, upperAlphanumeric } from "./iam";
import { InstanceProfileRecord, listRecords, readRecord, removeRecord, RolePolicyRecord, RoleRecord, writeRecord } from "./records";

const minioPolicyOf = (role: unknown, policyName: unknown) => `rp${digest(`${String(role)}:${String(policyName)}`)}`;
const known = (value: unknown) => value !== undefined && value !== unknownValue;

function jsonProblem(inputs: Props, property: string): Array<{ property: string; reason: string }> {
    const document = inputs[property];
    if (!known(document)) return [];
    try {
        JSON.parse(String(document));
        return [];
    } catch {
        return [{ property, reason: `MalformedPolicyDocument: "${property}" contains an invalid JSON policy` }];
    }
}

function requireRole(role: unknown, what: string): RoleRecord {
    const record = readRecord<RoleRecord>("roles", String(role));
    if (!record) throw new Error(`${what}: NoSuchEntity: The role with name ${String(role)} cannot be found.`);
    return record;
}

const roleModel: ResourceModel = {
    replaceOn: ["name", "namePrefix", "path"],
    defaults: (inputs, name, olds) => (inputs.name !== undefined ? {} : { name: autoname(name, olds) }),
    validate: (inputs) => jsonProblem(inputs, "assumeRolePolicy"),
    async create(inputs) {
        const name = String(inputs.name);
        if (readRecord("roles", name))
            throw new Error(`creating IAM Role (${name}): EntityAlreadyExists: Role with name ${name} already exists.`);
        const root = dataPlaneRoot();
        const record: RoleRecord = { minioUser: `r${digest(name)}`, minioSecret: randomBytes(24).toString("hex") };
        const payload = Buffer.from(JSON.stringify({ secretKey: record.minioSecret, status: "enabled" }));
        await minioAdmin(root, "PUT", "add-user", { accessKey: record.minioUser }, madminEncrypt(root.secretKey, payload));
        writeRecord("roles", name, record);
        const path = String(inputs.path ?? "/");
        return {
            id: name,
            outs: {
                ...inputs,
                path,
                arn: `arn:aws:iam::${ACCOUNT_ID}:role${path}${name}`,
                uniqueId: `AROA${upperAlphanumeric(17)}`,
                createDate: new Date().toISOString(),
                maxSessionDuration: inputs.maxSessionDuration ?? 3600,
                forceDetachPolicies: inputs.forceDetachPolicies ?? false,
                description: inputs.description ?? "",
                tags: inputs.tags ?? {},
                tagsAll: inputs.tags ?? {},
            },
        };
    },
    read: async (id, state) => (readRecord("roles", id) ? state : undefined),
    update: async (_id, olds, news) => ({ ...olds, ...news }),
    async delete(id) {
        const policies = listRecords<RolePolicyRecord>("role-policies").filter((p) => p.record.role === id);
        const profiles = listRecords<InstanceProfileRecord>("instance-profiles").filter((p) => p.record.role === id);
        if (policies.length > 0 || profiles.length > 0)
            throw new Error(
                `deleting IAM Role (${id}): DeleteConflict: Cannot delete entity, must ` +
                    `${policies.length > 0 ? "delete policies" : "remove roles from instance profile"} first.`,
            );
        const record = readRecord<RoleRecord>("roles", id);
        if (record) await minioAdmin(dataPlaneRoot(), "DELETE", "remove-user", { accessKey: record.minioUser });
        removeRecord("roles", id);
    },
};

async function attachRolePolicy(inputs: Props): Promise<void> {
    const what = `putting IAM Role (${String(inputs.role)}) Policy (${String(inputs.name)})`;
    const role = requireRole(inputs.role, what);
    const root = dataPlaneRoot();
    const policyName = minioPolicyOf(inputs.role, inputs.name);
    await minioAdmin(root, "PUT", "add-canned-policy", { name: policyName }, Buffer.from(String(inputs.policy)));
    await minioAdmin(root, "PUT", "set-user-or-group-policy", { policyName, userOrGroup: role.minioUser, isGroup: "false" });
    writeRecord("role-policies", `${String(inputs.role)}:${String(inputs.name)}`, { role: String(inputs.role) });
}

const rolePolicyModel: ResourceModel = {
    replaceOn: ["role", "name", "namePrefix"],
    defaults: (inputs, name, olds) => (inputs.name !== undefined ? {} : { name: autoname(name, olds) }),
    validate: (inputs) => jsonProblem(inputs, "policy"),
    async create(inputs) {
        await attachRolePolicy(inputs);
        return { id: `${String(inputs.role)}:${String(inputs.name)}`, outs: inputs };
    },
    read: async (id, state) => (readRecord("role-policies", id) ? state : undefined),
    async update(_id, _olds, news) {
        await attachRolePolicy(news);
        return news;
    },
    async delete(id, state) {
        const role = readRecord<RoleRecord>("roles", String(state.role));
        const root = dataPlaneRoot();
        if (role)
            await minioAdmin(root, "PUT", "set-user-or-group-policy", { policyName: "", userOrGroup: role.minioUser, isGroup: "false" });
        await minioAdmin(root, "DELETE", "remove-canned-policy", { name: minioPolicyOf(state.role, state.name) });
        removeRecord("role-policies", id);
    },
};

function profileRecord(inputs: Props, made?: InstanceProfileRecord): InstanceProfileRecord {
    const name = String(inputs.name);
    if (inputs.role !== undefined) requireRole(inputs.role, `adding role to IAM Instance Profile (${name})`);
    return {
        arn: made?.arn ?? `arn:aws:iam::${ACCOUNT_ID}:instance-profile${String(inputs.path ?? "/")}${name}`,
        uniqueId: made?.uniqueId ?? `AIPA${upperAlphanumeric(17)}`,
        role: inputs.role === undefined ? undefined : String(inputs.role),
    };
}

const instanceProfileModel: ResourceModel = {
    replaceOn: ["name", "namePrefix", "path"],
    defaults: (inputs, name, olds) => (inputs.name !== undefined ? {} : { name: autoname(name, olds) }),
    async create(inputs) {
        const record = profileRecord(inputs);
        writeRecord("instance-profiles", String(inputs.name), record);
        return {
            id: String(inputs.name),
            outs: {
                ...inputs,
                path: inputs.path ?? "/",
                arn: record.arn,
                uniqueId: record.uniqueId,
                createDate: new Date().toISOString(),
                tags: inputs.tags ?? {},
                tagsAll: inputs.tags ?? {},
            },
        };
    },
    read: async (id, state) => (readRecord("instance-profiles", id) ? state : undefined),
    // A new role applies at once: a running instance's metadata service reads the record at every request.
    async update(id, olds, news) {
        writeRecord("instance-profiles", id, profileRecord(news, readRecord<InstanceProfileRecord>("instance-profiles", id)));
        return { ...olds, ...news };
    },
    async delete(id) {
        removeRecord("instance-profiles", id);
    },
};

export const iamRoleModels: Record<string, ResourceModel> = {
    "aws:iam/role:Role": roleModel,
    "aws:iam/rolePolicy:RolePolicy": rolePolicyModel,
    "aws:iam/instanceProfile:InstanceProfile": instanceProfileModel,
};
