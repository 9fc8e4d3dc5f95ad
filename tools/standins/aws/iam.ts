// The IAM identities skymount declares for `aws: { hostKeys: true }`, in AWS's id and ARN formats and
// enforced by the data plane's server: an IAM user is a MinIO user (named by a digest of the IAM
// name, which may be longer than MinIO allows), its inline policy a MinIO policy attached to that
// user (MinIO evaluates AWS's policy language on the same bucket ARNs), and an access key a MinIO
// service account of the user with the AKIA… id and the secret given to the program: so a request
// signed with the key is allowed or refused by the server as the generated policy says.
// Limits: one inline policy per user is enforced (a second replaces the first's attachment), and a
// user's path and tags are state only.
import { createHash, randomBytes } from "node:crypto";
import { madminEncrypt, minioAdmin } from "../../testbed/minioAdmin";
import type { ResourceModel } from "../resourceModel";
import { dataPlaneRoot } from "./dataPlane";

/** The account the stand-in's ARNs name (AWS's documentation account). */
export const ACCOUNT_ID = "123456789012";

export const upperAlphanumeric = (length: number) =>
    Array.from(randomBytes(length), (byte) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[byte % 32]).join("");

export const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 15);
/** The MinIO user behind IAM user `name`: derivable by the policy and key that name only the user. */
const minioUserOf = (iamUser: unknown) => `u${digest(String(iamUser))}`;
const minioPolicyOf = (iamUser: unknown, policyName: unknown) => `p${digest(`${String(iamUser)}:${String(policyName)}`)}`;

export const autoname = (name: string, olds: Record<string, unknown> | undefined) =>
    olds?.name ?? `${name}-${randomBytes(4).toString("hex").slice(0, 7)}`;

const userModel: ResourceModel = {
    // AWS renames a user in place; the stand-in makes a new one (its ARN and MinIO user follow the name).
    replaceOn: ["name", "path"],
    defaults: (inputs, name, olds) => (inputs.name !== undefined ? {} : { name: autoname(name, olds) }),
    async create(inputs) {
        const root = dataPlaneRoot();
        // The user's own secret is never used: only its access keys (service accounts) sign requests.
        const payload = Buffer.from(JSON.stringify({ secretKey: randomBytes(24).toString("hex"), status: "enabled" }));
        await minioAdmin(root, "PUT", "add-user", { accessKey: minioUserOf(inputs.name) }, madminEncrypt(root.secretKey, payload));
        const path = String(inputs.path ?? "/");
        return {
            id: String(inputs.name),
            outs: {
                ...inputs,
                path,
                arn: `arn:aws:iam::${ACCOUNT_ID}:user${path}${String(inputs.name)}`,
                uniqueId: `AIDA${upperAlphanumeric(17)}`,
                tags: inputs.tags ?? {},
                tagsAll: inputs.tags ?? {},
            },
        };
    },
    read: async (_id, state) => state,
    update: async (_id, olds, news) => ({ ...olds, ...news }),
    async delete(id) {
        await minioAdmin(dataPlaneRoot(), "DELETE", "remove-user", { accessKey: minioUserOf(id) });
    },
};

async function attachPolicy(inputs: Record<string, unknown>): Promise<void> {
    const root = dataPlaneRoot();
    const policyName = minioPolicyOf(inputs.user, inputs.name);
    await minioAdmin(root, "PUT", "add-canned-policy", { name: policyName }, Buffer.from(String(inputs.policy)));
    await minioAdmin(root, "PUT", "set-user-or-group-policy", { policyName, userOrGroup: minioUserOf(inputs.user), isGroup: "false" });
}

const userPolicyModel: ResourceModel = {
    replaceOn: ["user", "name", "namePrefix"],
    defaults: (inputs, name, olds) => (inputs.name !== undefined ? {} : { name: autoname(name, olds) }),
    async create(inputs) {
        await attachPolicy(inputs);
        return { id: `${String(inputs.user)}:${String(inputs.name)}`, outs: inputs };
    },
    read: async (_id, state) => state,
    async update(_id, _olds, news) {
        await attachPolicy(news);
        return news;
    },
    async delete(_id, state) {
        const root = dataPlaneRoot();
        await minioAdmin(root, "PUT", "set-user-or-group-policy", {
            policyName: "",
            userOrGroup: minioUserOf(state.user),
            isGroup: "false",
        });
        await minioAdmin(root, "DELETE", "remove-canned-policy", { name: minioPolicyOf(state.user, state.name) });
    },
};

const accessKeyModel: ResourceModel = {
    replaceOn: ["user", "pgpKey"],
    secretOutputs: ["secret"],
    async create(inputs) {
        const root = dataPlaneRoot();
        const id = `AKIA${upperAlphanumeric(16)}`;
        const secret = randomBytes(30).toString("base64").slice(0, 40);
        const request = { accessKey: id, secretKey: secret, targetUser: minioUserOf(inputs.user) };
        await minioAdmin(root, "PUT", "add-service-account", {}, madminEncrypt(root.secretKey, Buffer.from(JSON.stringify(request))));
        return { id, outs: { ...inputs, secret, status: inputs.status ?? "Active", createDate: new Date().toISOString() } };
    },
    read: async (_id, state) => state,
    update: async (_id, olds, news) => ({ ...olds, ...news }),
    async delete(id) {
        await minioAdmin(dataPlaneRoot(), "DELETE", "delete-service-account", { accessKey: id });
    },
};

export const iamModels: Record<string, ResourceModel> = {
    "aws:iam/user:User": userModel,
    "aws:iam/userPolicy:UserPolicy": userPolicyModel,
    "aws:iam/accessKey:AccessKey": accessKeyModel,
};
