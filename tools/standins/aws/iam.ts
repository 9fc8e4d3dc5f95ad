// The IAM identities skymount declares for `aws: { hostKeys: true }`: a user, its inline policy and
// an access key, with AWS's id and ARN formats. State only: no server enforces these policies yet
// (making them MinIO users with the generated policy is issue 17's item 3).
import { randomBytes } from "node:crypto";
import { stateOnlyModel } from "../resourceModel";

/** The account the stand-in's ARNs name (AWS's documentation account). */
export const ACCOUNT_ID = "123456789012";

const upperAlphanumeric = (length: number) =>
    Array.from(randomBytes(length), (byte) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[byte % 32]).join("");

export const iamModels = {
    "aws:iam/user:User": stateOnlyModel({
        // AWS renames a user in place; the stand-in makes a new one (its ARN is derived at Create).
        replaceOn: ["name", "path"],
        defaults: (inputs, name, olds) =>
            inputs.name !== undefined ? {} : { name: olds?.name ?? `${name}-${randomBytes(4).toString("hex").slice(0, 7)}` },
        id: (inputs) => String(inputs.name),
        computed: (inputs) => ({
            arn: `arn:aws:iam::${ACCOUNT_ID}:user${String(inputs.path ?? "/")}${String(inputs.name)}`,
            path: inputs.path ?? "/",
            uniqueId: `AIDA${upperAlphanumeric(17)}`,
            tags: inputs.tags ?? {},
            tagsAll: inputs.tags ?? {},
        }),
    }),
    "aws:iam/userPolicy:UserPolicy": stateOnlyModel({
        replaceOn: ["user", "name", "namePrefix"],
        defaults: (inputs, name, olds) =>
            inputs.name !== undefined ? {} : { name: olds?.name ?? `${name}-${randomBytes(4).toString("hex").slice(0, 7)}` },
        id: (inputs) => `${String(inputs.user)}:${String(inputs.name)}`,
    }),
    "aws:iam/accessKey:AccessKey": stateOnlyModel({
        replaceOn: ["user", "pgpKey"],
        id: () => `AKIA${upperAlphanumeric(16)}`,
        computed: () => ({
            secret: randomBytes(30).toString("base64").slice(0, 40),
            status: "Active",
            createDate: new Date().toISOString(),
        }),
        secretOutputs: ["secret"],
    }),
};
