// The identities skymount declares on GCP (a service account per access level, its role on the
// bucket, an HMAC key), in GCP's formats and enforced by the data plane's server. A service account
// is a MinIO canned policy named by a digest of its email; each BucketIAMMember adds its role's
// statements to that policy (under a Sid of its own) and its deletion takes them out; an HMAC key is
// a MinIO user with GCS's GOOG1E… access id, attached to its service account's policy, so that a
// request signed with the key is allowed or refused by the server as the bindings say, and follows
// them when they change. A service account with no binding holds a policy that allows nothing.
// Limits: conditions on bindings, and members other than the stand-in's service accounts, are refused.
import { createHash, randomBytes } from "node:crypto";
import { madminEncrypt, minioAdmin } from "../../testbed/minioAdmin";
import type { Props, ResourceModel } from "../resourceModel";
import { defaultProject, gcsBucketExists, gcsRoot } from "./dataPlane";

const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 15);
const policyOf = (email: string) => `g${digest(email)}`;

/** What each role modelled lets a member do with the bucket's objects, in MinIO's (AWS's) action names. */
const ROLE_ACTIONS: Record<string, { bucket: string[]; objects: string[] }> = {
    "roles/storage.objectViewer": { bucket: ["s3:ListBucket"], objects: ["s3:GetObject"] },
    "roles/storage.objectUser": {
        bucket: ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
        objects: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
    },
};
ROLE_ACTIONS["roles/storage.objectAdmin"] = ROLE_ACTIONS["roles/storage.objectUser"];

interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: string[];
}

const NOTHING: Statement = { Sid: "nothing", Effect: "Deny", Action: ["s3:*"], Resource: ["arn:aws:s3:::*"] };

async function readStatements(email: string): Promise<Statement[]> {
    const text = await minioAdmin(gcsRoot(), "GET", "info-canned-policy", { name: policyOf(email) });
    return (JSON.parse(text.toString()) as { Statement: Statement[] }).Statement.filter((s) => s.Sid !== NOTHING.Sid);
}

async function writeStatements(email: string, statements: Statement[]): Promise<void> {
    const document = { Version: "2012-10-17", Statement: statements.length > 0 ? statements : [NOTHING] };
    await minioAdmin(gcsRoot(), "PUT", "add-canned-policy", { name: policyOf(email) }, Buffer.from(JSON.stringify(document)));
}

/** One policy change at a time: the engine creates a service account's bindings in parallel. */
let policyQueue: Promise<unknown> = Promise.resolve();
function serialised<T>(change: () => Promise<T>): Promise<T> {
    const next = policyQueue.then(change, change);
    policyQueue = next.catch(() => undefined);
    return next;
}

const emailOf = (accountId: unknown, project: unknown) => `${String(accountId)}@${String(project)}.iam.gserviceaccount.com`;

const serviceAccountModel: ResourceModel = {
    replaceOn: ["accountId", "project"],
    validate: (inputs) =>
        typeof inputs.accountId === "string" && !/^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/.test(inputs.accountId)
            ? [
                  {
                      property: "accountId",
                      reason: `"account_id" ("${inputs.accountId}") doesn't match regexp "^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$"`,
                  },
              ]
            : [],
    async create(inputs) {
        const project = String(inputs.project ?? defaultProject());
        const email = emailOf(inputs.accountId, project);
        await writeStatements(email, []);
        const name = `projects/${project}/serviceAccounts/${email}`;
        const uniqueId = `1${Array.from(randomBytes(20), (b) => String(b % 10)).join("")}`;
        return {
            id: name,
            outs: { ...inputs, project, email, name, uniqueId, member: `serviceAccount:${email}`, disabled: inputs.disabled ?? false },
        };
    },
    read: async (_id, state) => state,
    update: async (_id, olds, news) => ({ ...olds, ...news }),
    async delete(_id, state) {
        await minioAdmin(gcsRoot(), "DELETE", "remove-canned-policy", { name: policyOf(String(state.email)) });
    },
};

/** The service account a member names ("serviceAccount:<email>"), or a refusal: only those are modelled. */
function memberEmail(inputs: Props): string {
    const match = /^serviceAccount:(.+)$/.exec(String(inputs.member));
    if (!match) throw new Error(`gcp stand-in: member ${String(inputs.member)}: only serviceAccount: members are modelled`);
    return match[1];
}

const bindingId = (inputs: Props) => `b/${String(inputs.bucket)}/${String(inputs.role)}/${String(inputs.member).toLowerCase()}`;

const bucketIamMemberModel: ResourceModel = {
    replaceOn: ["bucket", "role", "member", "condition"],
    async create(inputs) {
        const actions = ROLE_ACTIONS[String(inputs.role)];
        if (!actions) throw new Error(`gcp stand-in: role ${String(inputs.role)} is not modelled (tools/standins/gcp/iam.ts)`);
        if (inputs.condition !== undefined) throw new Error("gcp stand-in: conditional bindings are not modelled");
        const bucket = String(inputs.bucket);
        if (!(await gcsBucketExists(bucket)))
            throw new Error(
                `Error applying IAM policy for storage bucket "b/${bucket}": googleapi: Error 404: The specified bucket does not exist., notFound`,
            );
        const email = memberEmail(inputs);
        const id = bindingId(inputs);
        const sid = `b${digest(id)}`;
        await serialised(async () => {
            const kept = (await readStatements(email)).filter((s) => !s.Sid.startsWith(sid));
            await writeStatements(email, [
                ...kept,
                { Sid: `${sid}bucket`, Effect: "Allow", Action: actions.bucket, Resource: [`arn:aws:s3:::${bucket}`] },
                { Sid: `${sid}objects`, Effect: "Allow", Action: actions.objects, Resource: [`arn:aws:s3:::${bucket}/*`] },
            ]);
        });
        return { id, outs: { ...inputs, etag: `BwY${randomBytes(8).toString("base64url")}=` } };
    },
    read: async (_id, state) => state,
    update: async (_id, olds, news) => ({ ...olds, ...news }),
    async delete(id, state) {
        const email = memberEmail(state);
        const sid = `b${digest(id)}`;
        await serialised(
            async () =>
                await writeStatements(
                    email,
                    (await readStatements(email)).filter((s) => !s.Sid.startsWith(sid)),
                ),
        );
    },
};

const upperAlphanumeric = (length: number) =>
    Array.from(randomBytes(length), (byte) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[byte % 36]).join("");

async function setKeyState(accessId: string, state: unknown): Promise<void> {
    const status = state === "INACTIVE" ? "disabled" : "enabled";
    await minioAdmin(gcsRoot(), "PUT", "set-user-status", { accessKey: accessId, status });
}

const hmacKeyModel: ResourceModel = {
    replaceOn: ["serviceAccountEmail", "project"],
    secretOutputs: ["secret"],
    async create(inputs) {
        const root = gcsRoot();
        const project = String(inputs.project ?? defaultProject());
        const accessId = `GOOG1E${upperAlphanumeric(55)}`;
        const secret = randomBytes(30).toString("base64");
        const email = String(inputs.serviceAccountEmail);
        await minioAdmin(
            root,
            "PUT",
            "add-user",
            { accessKey: accessId },
            madminEncrypt(root.secretKey, Buffer.from(JSON.stringify({ secretKey: secret, status: "enabled" }))),
        );
        await minioAdmin(root, "PUT", "set-user-or-group-policy", { policyName: policyOf(email), userOrGroup: accessId, isGroup: "false" });
        if (inputs.state === "INACTIVE") await setKeyState(accessId, inputs.state);
        const now = new Date().toISOString();
        return {
            id: `projects/${project}/hmacKeys/${accessId}`,
            outs: { ...inputs, project, accessId, secret, state: inputs.state ?? "ACTIVE", timeCreated: now, updated: now },
        };
    },
    read: async (_id, state) => state,
    async update(_id, olds, news) {
        await setKeyState(String(olds.accessId), news.state);
        return { ...olds, ...news, state: news.state ?? "ACTIVE", updated: new Date().toISOString() };
    },
    async delete(_id, state) {
        await minioAdmin(gcsRoot(), "DELETE", "remove-user", { accessKey: String(state.accessId) });
    },
};

export const gcpIamModels: Record<string, ResourceModel> = {
    "gcp:serviceaccount/account:Account": serviceAccountModel,
    "gcp:storage/bucketIAMMember:BucketIAMMember": bucketIamMemberModel,
    "gcp:storage/hmacKey:HmacKey": hmacKeyModel,
};
