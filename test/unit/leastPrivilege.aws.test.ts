// Least privilege, proven: the IAM documents skymount generates on AWS (SkyCompute's instance role,
// SkyStorage's `aws.hostKeys` users) are captured under Pulumi mocks exactly as the components declare
// them and run through an IAM policy evaluator (@cloud-copilot/iam-simulate). For each volume set a
// matrix of actions × resources must come out allowed exactly where a volume reads (or writes) and
// denied everywhere else: other prefixes (also `data2` next to `data`), other buckets, bucket
// administration, IAM. The expectation is a small model of what the volumes ask for, written apart
// from the policy code, plus hand-written rows for the cases that matter most.
import { runSimulation } from "@cloud-copilot/iam-simulate";
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { recordRegistrations, Registered, until } from "./recordingMocks";

const registered: Registered[] = [];

before(() => recordRegistrations(registered, (name) => ({ publicIp: `ip-${name}`, secret: `${name}-secret`, stdout: "" })));

const resolve = <T>(o: pulumi.Input<T>) => new Promise<T>((r) => pulumi.output(o).apply((v) => r(v as T)));

// ---- The evaluator ----------------------------------------------------------------------------

const ACCOUNT = "111122223333";

type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** The evaluator's decision on one request made by a principal that holds exactly `policy`. */
async function evaluate(
    policy: object,
    principal: string,
    action: string,
    resource: string,
    context: Record<string, string>,
): Promise<Decision> {
    const result = await runSimulation(
        {
            request: { principal, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
            identityPolicies: [{ name: "skymount", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        },
        { simulationMode: "Strict" },
    );
    // A typo in an action or ARN must fail the test, not count as "denied".
    if (result.resultType === "error")
        throw new Error(`${action} on ${resource}: the evaluator refused the request: ${JSON.stringify(result.errors)}`);
    return result.overallResult;
}

// ---- What the volumes ask for, and the matrix --------------------------------------------------

/** What one volume (or key pair) must reach: a bucket, maybe only a prefix of it, reading or also writing. */
interface Access {
    bucket: string;
    prefix?: string;
    write: boolean;
}

/** One request of the matrix: an action on a bucket, an object, or something else entirely. */
interface Request {
    action: string;
    resource: string;
    /** The s3:prefix of a listing; absent: the listing of the whole bucket. */
    listPrefix?: string;
    /** The object key, for object actions. */
    key?: string;
    bucket?: string;
}

const READ_OBJECT = ["s3:GetObject"];
const WRITE_OBJECT = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];
/** Object actions no volume ever needs: ACLs, versions, tags, retention. */
const NEVER_OBJECT = [
    "s3:PutObjectAcl",
    "s3:GetObjectAcl",
    "s3:GetObjectVersion",
    "s3:DeleteObjectVersion",
    "s3:PutObjectTagging",
    "s3:PutObjectRetention",
];
/** Bucket actions no volume ever needs: deletion, policies, ACLs, settings. */
const NEVER_BUCKET = [
    "s3:DeleteBucket",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:GetBucketPolicy",
    "s3:PutBucketAcl",
    "s3:GetBucketAcl",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketVersioning",
    "s3:PutLifecycleConfiguration",
    "s3:PutEncryptionConfiguration",
    "s3:CreateBucket",
    "s3:ListBucketVersions",
];
/** Outside S3 altogether: IAM (a way to widen one's own grant), STS. */
const NEVER_ELSEWHERE: Array<[string, string]> = [
    ["iam:CreateAccessKey", `arn:aws:iam::${ACCOUNT}:user/admin`],
    ["iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/new`],
    ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/skymount`],
    ["iam:PutUserPolicy", `arn:aws:iam::${ACCOUNT}:user/skymount`],
    ["iam:AttachRolePolicy", `arn:aws:iam::${ACCOUNT}:role/skymount`],
    ["iam:UpdateAssumeRolePolicy", `arn:aws:iam::${ACCOUNT}:role/skymount`],
    ["iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/admin`],
    ["sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/admin`],
    ["s3:ListAllMyBuckets", "*"],
];

const trim = (prefix: string | undefined) => (prefix ?? "").replace(/^\/+|\/+$/g, "");
const covers = (a: Access, key: string) => trim(a.prefix) === "" || key.startsWith(`${trim(a.prefix)}/`);

/** The model: what least privilege allows for these volumes, and nothing else. */
function shouldAllow(access: Access[], r: Request): boolean {
    const on = access.filter((a) => a.bucket === r.bucket);
    if (READ_OBJECT.includes(r.action)) return on.some((a) => covers(a, r.key!));
    if (WRITE_OBJECT.includes(r.action)) return on.some((a) => a.write && covers(a, r.key!));
    // A listing of the whole bucket only for a volume on the whole bucket; on a prefix, only listings inside it.
    if (r.action === "s3:ListBucket") return on.some((a) => (r.listPrefix === undefined ? trim(a.prefix) === "" : covers(a, r.listPrefix)));
    if (r.action === "s3:GetBucketLocation") return on.length > 0;
    // In-progress uploads cannot be listed by prefix: only a writer of the whole bucket lists them.
    if (r.action === "s3:ListBucketMultipartUploads") return on.some((a) => a.write && trim(a.prefix) === "");
    return false;
}

/** Every request of the matrix for these volumes: keys and listings in, beside, above and below each prefix, in each bucket and in others. */
function matrix(access: Access[], otherBuckets: string[]): Request[] {
    const buckets = [...new Set([...access.map((a) => a.bucket), ...otherBuckets])];
    const prefixes = [...new Set(access.map((a) => trim(a.prefix)).filter((p) => p !== ""))];
    const keys = new Set(["top.txt", "other/x.bin"]);
    const listings = new Set<string | undefined>([undefined, "other/"]);
    for (const p of prefixes) {
        const parent = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : undefined;
        for (const k of [`${p}/x.bin`, `${p}/sub/deep.bin`, `${p}2/x.bin`, `${p}-old/x.bin`, p, `${p}/`]) keys.add(k);
        for (const l of [`${p}/`, `${p}/sub/`, p, `${p}2/`, `${p}2`]) listings.add(l);
        if (parent) {
            keys.add(`${parent}/x.bin`);
            listings.add(`${parent}/`);
        }
    }
    const requests: Request[] = [];
    for (const bucket of buckets) {
        const arn = `arn:aws:s3:::${bucket}`;
        for (const key of keys)
            for (const action of [...READ_OBJECT, ...WRITE_OBJECT, ...NEVER_OBJECT])
                requests.push({ action, bucket, key, resource: `${arn}/${key}` });
        for (const listPrefix of listings) requests.push({ action: "s3:ListBucket", bucket, listPrefix, resource: arn });
        for (const action of ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads", ...NEVER_BUCKET])
            requests.push({ action, bucket, resource: arn });
    }
    for (const [action, resource] of NEVER_ELSEWHERE) requests.push({ action, resource });
    return requests;
}

const describeRequest = (r: Request) =>
    `${r.action} ${r.resource}${r.listPrefix !== undefined ? ` s3:prefix=${JSON.stringify(r.listPrefix)}` : ""}`;

/** Runs the whole matrix; returns the rows where the evaluator and the model disagree, and how many rows were allowed. */
async function check(
    policy: object,
    principal: string,
    access: Access[],
    otherBuckets: string[],
): Promise<{ wrong: string[]; allowed: number; total: number }> {
    const requests = matrix(access, otherBuckets);
    const decisions = await Promise.all(
        requests.map((r) =>
            evaluate(policy, principal, r.action, r.resource, r.listPrefix !== undefined ? { "s3:prefix": r.listPrefix } : {}),
        ),
    );
    const wrong: string[] = [];
    let allowed = 0;
    requests.forEach((r, i) => {
        const want = shouldAllow(access, r) ? "Allowed" : "ImplicitlyDenied";
        if (decisions[i] === "Allowed") allowed++;
        if (decisions[i] !== want) wrong.push(`${describeRequest(r)}: ${decisions[i]}, want ${want}`);
    });
    return { wrong, allowed, total: requests.length };
}

/** Hand-written rows: [action, resource, s3:prefix or undefined, the decision it must get]. */
type Row = [string, string, string | undefined, "Allowed" | "Denied"];

async function checkRows(policy: object, principal: string, rows: Row[]): Promise<string[]> {
    const wrong: string[] = [];
    for (const [action, resource, listPrefix, want] of rows) {
        const got = await evaluate(policy, principal, action, resource, listPrefix !== undefined ? { "s3:prefix": listPrefix } : {});
        if ((got === "Allowed") !== (want === "Allowed"))
            wrong.push(`${action} ${resource}${listPrefix !== undefined ? ` s3:prefix=${listPrefix}` : ""}: ${got}, want ${want}`);
    }
    return wrong;
}

// ---- SkyCompute on AWS: the instance role -------------------------------------------------------

const GEESEFS = { url: "http://mirror.test/geesefs", sha256: "b".repeat(64) };
const s3 = (bucket: string) => ({ store: "s3" as const, bucket, endpoint: "https://s3.us-east-1.amazonaws.com" });

interface Volume {
    storage: ReturnType<typeof s3> & { credentials?: pulumi.Input<{ accessKey: string; secretKey: string }> };
    mount: string;
    prefix?: string;
    readOnly?: boolean;
}

let computes = 0;

/** Declares a SkyCompute on AWS with these volumes and returns the instance role's policy document, as declared. */
async function rolePolicyOf(volumes: Volume[]): Promise<{ policy: object; principal: string }> {
    const { SkyCompute } = await import("../../src");
    const name = `lp${++computes}`;
    new SkyCompute(name, {
        provider: "aws",
        nodes: 1,
        image: "ami-0abc",
        sshPublicKey: "ssh-ed25519 AAAA test",
        sshPrivateKey: pulumi.secret("KEY"),
        volumes,
        geesefs: GEESEFS,
    });
    const rolePolicy = await until(`${name}'s role policy`, () =>
        registered.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === `${name}-volumes`),
    );
    assert.equal(rolePolicy.inputs.role, `${name}-role-id`, "the policy is the instance role's");
    return { policy: JSON.parse(String(rolePolicy.inputs.policy)) as object, principal: `arn:aws:iam::${ACCOUNT}:role/${name}-role` };
}

interface VolumeSet {
    title: string;
    volumes: Volume[];
    /** What the volumes must reach (keyless ones only: the role is for volumes without keys of their own). */
    access: Access[];
    rows: Row[];
}

const B = (bucket: string, key?: string) => `arn:aws:s3:::${bucket}${key !== undefined ? `/${key}` : ""}`;

const VOLUME_SETS: VolumeSet[] = [
    {
        title: "one read-only bucket",
        volumes: [{ storage: s3("datasets"), mount: "/data" }],
        access: [{ bucket: "datasets", write: false }],
        rows: [
            ["s3:GetObject", B("datasets", "imagenet/train/0001.jpg"), undefined, "Allowed"],
            ["s3:ListBucket", B("datasets"), undefined, "Allowed"],
            ["s3:PutObject", B("datasets", "x"), undefined, "Denied"],
            ["s3:DeleteObject", B("datasets", "x"), undefined, "Denied"],
            ["s3:GetObject", B("datasets-private", "x"), undefined, "Denied"],
            ["s3:DeleteBucket", B("datasets"), undefined, "Denied"],
            ["s3:PutBucketPolicy", B("datasets"), undefined, "Denied"],
            ["s3:PutBucketAcl", B("datasets"), undefined, "Denied"],
            ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/lp1-role`, undefined, "Denied"],
        ],
    },
    {
        title: "a read-only prefix",
        volumes: [{ storage: s3("datasets"), mount: "/data", prefix: "imagenet" }],
        access: [{ bucket: "datasets", prefix: "imagenet", write: false }],
        rows: [
            ["s3:GetObject", B("datasets", "imagenet/train/0001.jpg"), undefined, "Allowed"],
            ["s3:ListBucket", B("datasets"), "imagenet/", "Allowed"],
            ["s3:ListBucket", B("datasets"), "imagenet/train/", "Allowed"],
            ["s3:GetBucketLocation", B("datasets"), undefined, "Allowed"],
            ["s3:ListBucket", B("datasets"), undefined, "Denied"],
            ["s3:ListBucket", B("datasets"), "coco/", "Denied"],
            ["s3:GetObject", B("datasets", "coco/x.jpg"), undefined, "Denied"],
            ["s3:PutObject", B("datasets", "imagenet/x.jpg"), undefined, "Denied"],
        ],
    },
    {
        title: "a read-write prefix (nested)",
        volumes: [{ storage: s3("work"), mount: "/out", prefix: "runs/7", readOnly: false }],
        access: [{ bucket: "work", prefix: "runs/7", write: true }],
        rows: [
            ["s3:PutObject", B("work", "runs/7/model.pt"), undefined, "Allowed"],
            ["s3:DeleteObject", B("work", "runs/7/model.pt"), undefined, "Allowed"],
            ["s3:AbortMultipartUpload", B("work", "runs/7/model.pt"), undefined, "Allowed"],
            ["s3:ListMultipartUploadParts", B("work", "runs/7/model.pt"), undefined, "Allowed"],
            ["s3:ListBucket", B("work"), "runs/7/", "Allowed"],
            ["s3:PutObject", B("work", "runs/8/model.pt"), undefined, "Denied"],
            ["s3:PutObject", B("work", "runs/70/model.pt"), undefined, "Denied"],
            ["s3:GetObject", B("work", "runs/x"), undefined, "Denied"],
            ["s3:ListBucket", B("work"), "runs/", "Denied"],
            ["s3:ListBucketMultipartUploads", B("work"), undefined, "Denied"],
        ],
    },
    {
        title: "two buckets, one read-write and one read-only",
        volumes: [
            { storage: s3("checkpoints"), mount: "/ckpt", readOnly: false },
            { storage: s3("datasets"), mount: "/data" },
        ],
        access: [
            { bucket: "checkpoints", write: true },
            { bucket: "datasets", write: false },
        ],
        rows: [
            ["s3:PutObject", B("checkpoints", "step-100/model.pt"), undefined, "Allowed"],
            ["s3:ListBucketMultipartUploads", B("checkpoints"), undefined, "Allowed"],
            ["s3:GetObject", B("datasets", "x"), undefined, "Allowed"],
            ["s3:PutObject", B("datasets", "x"), undefined, "Denied"],
            ["s3:DeleteObject", B("datasets", "x"), undefined, "Denied"],
            ["s3:DeleteBucket", B("checkpoints"), undefined, "Denied"],
            ["s3:PutBucketPolicy", B("checkpoints"), undefined, "Denied"],
            ["s3:PutBucketAcl", B("checkpoints"), undefined, "Denied"],
        ],
    },
    {
        title: "one bucket, a read-only prefix and a read-write prefix",
        volumes: [
            { storage: s3("lake"), mount: "/raw", prefix: "raw" },
            { storage: s3("lake"), mount: "/curated", prefix: "curated", readOnly: false },
        ],
        access: [
            { bucket: "lake", prefix: "raw", write: false },
            { bucket: "lake", prefix: "curated", write: true },
        ],
        rows: [
            ["s3:GetObject", B("lake", "raw/a.parquet"), undefined, "Allowed"],
            ["s3:PutObject", B("lake", "raw/a.parquet"), undefined, "Denied"],
            ["s3:DeleteObject", B("lake", "raw/a.parquet"), undefined, "Denied"],
            ["s3:PutObject", B("lake", "curated/a.parquet"), undefined, "Allowed"],
            ["s3:GetObject", B("lake", "curated/a.parquet"), undefined, "Allowed"],
            ["s3:ListBucket", B("lake"), "raw/", "Allowed"],
            ["s3:ListBucket", B("lake"), "curated/", "Allowed"],
            ["s3:ListBucket", B("lake"), undefined, "Denied"],
            ["s3:GetObject", B("lake", "secret/a.parquet"), undefined, "Denied"],
        ],
    },
    {
        title: "prefixes that are prefixes of each other: data read-only, data2 read-write",
        volumes: [
            { storage: s3("lake"), mount: "/data", prefix: "data" },
            { storage: s3("lake"), mount: "/data2", prefix: "data2", readOnly: false },
        ],
        access: [
            { bucket: "lake", prefix: "data", write: false },
            { bucket: "lake", prefix: "data2", write: true },
        ],
        rows: [
            ["s3:GetObject", B("lake", "data/x"), undefined, "Allowed"],
            ["s3:PutObject", B("lake", "data/x"), undefined, "Denied"],
            ["s3:PutObject", B("lake", "data2/x"), undefined, "Allowed"],
            ["s3:GetObject", B("lake", "data3/x"), undefined, "Denied"],
            ["s3:GetObject", B("lake", "data22/x"), undefined, "Denied"],
            // A listing of "data" would name data2's (and data3's) keys: neither volume may make it.
            ["s3:ListBucket", B("lake"), "data", "Denied"],
            ["s3:ListBucket", B("lake"), "data3/", "Denied"],
        ],
    },
    {
        title: "a prefix whose sibling shares its name's start: data read-only, data2 not a volume",
        volumes: [{ storage: s3("lake"), mount: "/data", prefix: "data/" }],
        access: [{ bucket: "lake", prefix: "data", write: false }],
        rows: [
            ["s3:GetObject", B("lake", "data/x"), undefined, "Allowed"],
            ["s3:ListBucket", B("lake"), "data/", "Allowed"],
            ["s3:GetObject", B("lake", "data2/x"), undefined, "Denied"],
            ["s3:ListBucket", B("lake"), "data2/", "Denied"],
            ["s3:ListBucket", B("lake"), "data2", "Denied"],
            ["s3:ListBucket", B("lake"), "data", "Denied"],
        ],
    },
    {
        title: "a whole bucket read-only and a prefix of it read-write; the same prefix read-only and read-write",
        volumes: [
            { storage: s3("lake"), mount: "/lake" },
            { storage: s3("lake"), mount: "/out", prefix: "out", readOnly: false },
            { storage: s3("scratch"), mount: "/s-ro", prefix: "tmp" },
            { storage: s3("scratch"), mount: "/s-rw", prefix: "tmp", readOnly: false },
        ],
        access: [
            { bucket: "lake", write: false },
            { bucket: "lake", prefix: "out", write: true },
            { bucket: "scratch", prefix: "tmp", write: true },
        ],
        rows: [
            ["s3:GetObject", B("lake", "anything"), undefined, "Allowed"],
            ["s3:PutObject", B("lake", "anything"), undefined, "Denied"],
            ["s3:PutObject", B("lake", "out/x"), undefined, "Allowed"],
            ["s3:ListBucketMultipartUploads", B("lake"), undefined, "Denied"],
            ["s3:PutObject", B("scratch", "tmp/x"), undefined, "Allowed"],
        ],
    },
    {
        title: "a volume with keys of its own is not the role's business",
        volumes: [
            {
                storage: { ...s3("partner"), credentials: pulumi.secret({ accessKey: "AK", secretKey: "SK" }) },
                mount: "/partner",
                readOnly: false,
            },
            { storage: s3("datasets"), mount: "/data" },
        ],
        access: [{ bucket: "datasets", write: false }],
        rows: [
            ["s3:GetObject", B("partner", "x"), undefined, "Denied"],
            ["s3:PutObject", B("partner", "x"), undefined, "Denied"],
            ["s3:ListBucket", B("partner"), undefined, "Denied"],
        ],
    },
];

describe("least privilege on AWS: SkyCompute's instance role, through an IAM policy evaluator", () => {
    for (const set of VOLUME_SETS) {
        it(set.title, async () => {
            const { policy, principal } = await rolePolicyOf(set.volumes);
            const others = ["other-bucket", "partner", "datasets-private"].filter((b) => !set.access.some((a) => a.bucket === b));
            const { wrong, allowed, total } = await check(policy, principal, set.access, others);
            assert.deepEqual(wrong, [], `the evaluator disagrees with least privilege on ${wrong.length} of ${total} requests`);
            assert.ok(allowed > 0 && allowed < total, `the matrix allows some and denies some (${allowed} of ${total} allowed)`);
            assert.deepEqual(await checkRows(policy, principal, set.rows), []);
        });
    }

    it("no keyless volume: the role holds no policy at all, and nothing but EC2 may assume it", async () => {
        const { SkyCompute } = await import("../../src");
        new SkyCompute("bare", {
            provider: "aws",
            nodes: 1,
            image: "ami-0abc",
            sshPublicKey: "ssh-ed25519 AAAA test",
            sshPrivateKey: pulumi.secret("KEY"),
            volumes: [{ storage: { ...s3("partner"), credentials: pulumi.secret({ accessKey: "AK", secretKey: "SK" }) }, mount: "/p" }],
            geesefs: GEESEFS,
        });
        await until("bare's instance", () => registered.find((r) => r.name === "bare-node-0"));
        await new Promise((r) => setTimeout(r, 200));
        const iam = registered.filter((r) => r.name.startsWith("bare-") && r.type.startsWith("aws:iam/"));
        assert.deepEqual(iam.map((r) => r.type).sort(), ["aws:iam/instanceProfile:InstanceProfile", "aws:iam/role:Role"]);
        const role = iam.find((r) => r.type === "aws:iam/role:Role")!;
        assert.deepEqual(
            Object.keys(role.inputs).sort(),
            ["assumeRolePolicy"],
            "no managed policies, no inline policies on the role itself",
        );
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: unknown[] };
        assert.deepEqual(trust.Statement, [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    });

    it("every SkyCompute's role has exactly one inline policy and no attached ones", () => {
        const types = new Set(registered.filter((r) => r.type.startsWith("aws:iam/")).map((r) => r.type));
        assert.deepEqual([...types].sort(), [
            "aws:iam/instanceProfile:InstanceProfile",
            "aws:iam/role:Role",
            "aws:iam/rolePolicy:RolePolicy",
        ]);
        for (let i = 1; i <= computes; i++)
            assert.equal(registered.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.startsWith(`lp${i}-`)).length, 1);
    });
});

// ---- SkyStorage on S3 with aws.hostKeys: the IAM users' policies --------------------------------

describe("least privilege on AWS: SkyStorage's aws.hostKeys users, through an IAM policy evaluator", () => {
    it("ref's keys read and write exactly this bucket, readOnlyRef's keys only read it, and neither administers it", async () => {
        const { SkyStorage } = await import("../../src");
        const s = new SkyStorage("hk", { name: "team-data", region: "eu-west-1", aws: { hostKeys: true } });
        /** The policy of the IAM user whose access key these credentials are: followed key → user → user policy. */
        const policyOf = async (credentials: pulumi.Input<{ accessKey: pulumi.Input<string> }> | undefined) => {
            const { accessKey } = await resolve(credentials!);
            const key = await until(`access key ${accessKey}`, () =>
                registered.find((r) => r.type === "aws:iam/accessKey:AccessKey" && `${r.name}-id` === accessKey),
            );
            const policies = registered.filter((r) => r.type === "aws:iam/userPolicy:UserPolicy" && r.inputs.user === key.inputs.user);
            assert.equal(policies.length, 1, `${String(key.inputs.user)} has exactly one policy`);
            return {
                policy: JSON.parse(String(policies[0].inputs.policy)) as object,
                principal: `arn:aws:iam::${ACCOUNT}:user/${String(key.inputs.user)}`,
            };
        };
        const rw = await policyOf(s.ref.credentials);
        const ro = await policyOf(s.readOnlyRef.credentials);
        assert.notEqual(rw.principal, ro.principal, "two users");
        assert.equal(
            registered.filter((r) => r.name.startsWith("hk-") && /attachment/i.test(r.type)).length,
            0,
            "no managed policy is attached to either user",
        );

        const others = ["other-bucket", "team-data-2", "team"];
        for (const [who, keys, access] of [
            ["ref", rw, [{ bucket: "team-data", write: true }]],
            ["readOnlyRef", ro, [{ bucket: "team-data", write: false }]],
        ] as const) {
            const { wrong, allowed, total } = await check(keys.policy, keys.principal, [...access], others);
            assert.deepEqual(wrong, [], `${who}: the evaluator disagrees with least privilege on ${wrong.length} of ${total} requests`);
            assert.ok(allowed > 0 && allowed < total, who);
        }
        const common: Row[] = [
            ["s3:GetObject", B("team-data", "a/b.txt"), undefined, "Allowed"],
            ["s3:ListBucket", B("team-data"), undefined, "Allowed"],
            ["s3:GetObject", B("team-data-2", "a/b.txt"), undefined, "Denied"],
            ["s3:DeleteBucket", B("team-data"), undefined, "Denied"],
            ["s3:PutBucketPolicy", B("team-data"), undefined, "Denied"],
            ["s3:PutBucketAcl", B("team-data"), undefined, "Denied"],
            ["s3:PutBucketPublicAccessBlock", B("team-data"), undefined, "Denied"],
            ["iam:CreateAccessKey", `arn:aws:iam::${ACCOUNT}:user/hk-host-rw`, undefined, "Denied"],
            ["iam:PutUserPolicy", `arn:aws:iam::${ACCOUNT}:user/hk-host-ro`, undefined, "Denied"],
        ];
        assert.deepEqual(
            await checkRows(rw.policy, rw.principal, [
                ...common,
                ["s3:PutObject", B("team-data", "a/b.txt"), undefined, "Allowed"],
                ["s3:DeleteObject", B("team-data", "a/b.txt"), undefined, "Allowed"],
                ["s3:AbortMultipartUpload", B("team-data", "a/b.txt"), undefined, "Allowed"],
                ["s3:ListBucketMultipartUploads", B("team-data"), undefined, "Allowed"],
            ]),
            [],
        );
        assert.deepEqual(
            await checkRows(ro.policy, ro.principal, [
                ...common,
                ["s3:PutObject", B("team-data", "a/b.txt"), undefined, "Denied"],
                ["s3:DeleteObject", B("team-data", "a/b.txt"), undefined, "Denied"],
                ["s3:AbortMultipartUpload", B("team-data", "a/b.txt"), undefined, "Denied"],
                ["s3:ListBucketMultipartUploads", B("team-data"), undefined, "Denied"],
            ]),
            [],
        );
    });
});
