// Least privilege on GCP and Azure, under Pulumi mocks: the grants skymount declares are scoped to
// exactly the volumes' buckets (GCS bucket IAM members) and containers (Azure role assignments), with
// the read-only role where the volumes only read, and nothing at project, account, resource-group or
// subscription level. Neither cloud has an offline evaluator like AWS's, so the declared bindings are
// compared with what the volumes ask for, binding by binding. GCS grants no per-prefix roles: a volume
// on a prefix gets its bucket (docs/ARCHITECTURE.md, "Least privilege").
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { recordRegistrations, Registered, until } from "./recordingMocks";
import type { Store } from "../../src";

const registered: Registered[] = [];

before(() =>
    recordRegistrations(registered, (name) => ({
        // The computed outputs the graphs read: service-account emails, HMAC key IDs, the identity's principal.
        email: `${name}@project.iam.gserviceaccount.com`,
        accessId: `${name}-access-id`,
        secret: `${name}-secret`,
        principalId: `${name}-principal`,
        networkInterfaces: [{ accessConfigs: [{ natIp: `nat-${name}` }] }],
        ipAddress: `pip-${name}`,
        stdout: "",
    })),
);

/** Registration is asynchronous: after the last expected resource, wait a little longer for strays. */
const settle = () => new Promise((r) => setTimeout(r, 300));

const resolve = <T>(o: pulumi.Input<T>) => new Promise<T>((r) => pulumi.output(o).apply((v) => r(v as T)));

const of = (component: string, type: string) => registered.filter((r) => r.name.startsWith(`${component}-`) && r.type === type);

const GEESEFS = { url: "http://mirror.test/geesefs", sha256: "b".repeat(64) };
const KEYS = { sshPublicKey: "ssh-ed25519 AAAA test", sshPrivateKey: pulumi.secret("KEY") };
const OWN_KEYS = pulumi.secret({ accessKey: "AK", secretKey: "SK" });

interface Volume {
    storage: {
        store: Store;
        bucket: string;
        endpoint: string;
        credentials?: pulumi.Input<{ accessKey: string; secretKey: string }>;
        azureScope?: string;
    };
    mount: string;
    prefix?: string;
    readOnly?: boolean;
}

/** Any IAM- or authorization-shaped resource type: what may only ever be the one kind of grant skymount makes. */
const GRANT_LIKE = /iam|policy|binding|authorization|roleassignment|organizations\/|projects\/|folder\//i;

// ---- SkyCompute on GCP: bucket IAM members for the machines' service account -------------------

const VIEWER = "roles/storage.objectViewer";
const ADMIN = "roles/storage.objectUser";
const gcs = (bucket: string) => ({ store: "gcs" as const, bucket, endpoint: "https://storage.googleapis.com" });

interface GcpSet {
    title: string;
    volumes: Volume[];
    /** bucket → role, for exactly the buckets the service account must reach. */
    bindings: Record<string, string>;
}

const GCP_SETS: GcpSet[] = [
    { title: "one read-only bucket", volumes: [{ storage: gcs("datasets"), mount: "/data" }], bindings: { datasets: VIEWER } },
    {
        title: "a read-only prefix: the bucket, read-only",
        volumes: [{ storage: gcs("datasets"), mount: "/data", prefix: "imagenet" }],
        bindings: { datasets: VIEWER },
    },
    {
        title: "a read-write prefix: the bucket, writable",
        volumes: [{ storage: gcs("work"), mount: "/out", prefix: "runs/7", readOnly: false }],
        bindings: { work: ADMIN },
    },
    {
        title: "two buckets, one read-write and one read-only",
        volumes: [
            { storage: gcs("checkpoints"), mount: "/ckpt", readOnly: false },
            { storage: gcs("datasets"), mount: "/data" },
        ],
        bindings: { checkpoints: ADMIN, datasets: VIEWER },
    },
    {
        title: "one bucket, a read-only prefix and a read-write prefix: one binding, writable",
        volumes: [
            { storage: gcs("lake"), mount: "/raw", prefix: "raw" },
            { storage: gcs("lake"), mount: "/curated", prefix: "curated", readOnly: false },
        ],
        bindings: { lake: ADMIN },
    },
    {
        title: "buckets whose names are prefixes of each other: each its own role, exactly its name",
        volumes: [
            { storage: gcs("data"), mount: "/data" },
            { storage: gcs("data2"), mount: "/data2", readOnly: false },
        ],
        bindings: { data: VIEWER, data2: ADMIN },
    },
    {
        title: "volumes with keys of their own get no binding",
        volumes: [
            { storage: { ...gcs("partner"), credentials: OWN_KEYS }, mount: "/partner", readOnly: false },
            { storage: { store: "s3", bucket: "elsewhere", endpoint: "https://s3.example.com", credentials: OWN_KEYS }, mount: "/s3" },
            { storage: gcs("datasets"), mount: "/data" },
        ],
        bindings: { datasets: VIEWER },
    },
    {
        title: "no keyless volume: no binding and no HMAC key",
        volumes: [{ storage: { ...gcs("partner"), credentials: OWN_KEYS }, mount: "/partner" }],
        bindings: {},
    },
];

let gcpComputes = 0;

describe("least privilege on GCP: SkyCompute's service account is bound to exactly the volumes' buckets", () => {
    for (const set of GCP_SETS) {
        it(set.title, async () => {
            const { SkyCompute } = await import("../../src");
            const name = `g${++gcpComputes}`;
            new SkyCompute(name, { provider: "gcp", nodes: 1, ...KEYS, volumes: set.volumes, geesefs: GEESEFS });
            await until(`${name}'s instance`, () => registered.find((r) => r.name === `${name}-node-0`));
            await settle();

            const account = of(name, "gcp:serviceaccount/account:Account");
            assert.equal(account.length, 1, "one service account of the machines' own");
            const email = `${account[0].name}@project.iam.gserviceaccount.com`;
            const bindings = of(name, "gcp:storage/bucketIAMMember:BucketIAMMember");
            assert.deepEqual(
                Object.fromEntries(bindings.map((b) => [b.inputs.bucket, b.inputs.role])),
                set.bindings,
                "one binding per bucket the volumes reach, read-only where they only read",
            );
            assert.equal(bindings.length, Object.keys(set.bindings).length, "no bucket bound twice");
            for (const b of bindings) {
                assert.deepEqual(Object.keys(b.inputs).sort(), ["bucket", "member", "role"], "a plain bucket binding, nothing more");
                assert.equal(b.inputs.member, `serviceAccount:${email}`, "granted to the machines' account, not to anyone else");
            }
            // Nothing at project, folder or organization level, and no other kind of grant.
            const grants = registered.filter((r) => r.name.startsWith(`${name}-`) && GRANT_LIKE.test(r.type));
            assert.deepEqual(
                [...new Set(grants.map((r) => r.type))],
                bindings.length > 0 ? ["gcp:storage/bucketIAMMember:BucketIAMMember"] : [],
            );
            // The HMAC key geesefs mounts with is that account's: it reaches what the bindings reach.
            const hmac = of(name, "gcp:storage/hmacKey:HmacKey");
            assert.equal(hmac.length, bindings.length > 0 ? 1 : 0);
            for (const k of hmac) assert.equal(k.inputs.serviceAccountEmail, email);
            for (const vm of of(name, "gcp:compute/instance:Instance"))
                assert.equal((vm.inputs.serviceAccount as { email: string }).email, email, "the VMs run as that account");
        });
    }
});

// ---- SkyStorage on GCS: a reader and a writer, each bound to this bucket only ---------------------

describe("least privilege on GCS: SkyStorage's reader and writer service accounts", () => {
    it("readOnlyRef's HMAC key is the reader's (objectViewer), ref's the writer's (objectUser), both on this bucket only", async () => {
        const { SkyStorage } = await import("../../src");
        const s = new SkyStorage("gs", { name: "team-data", gcp: { project: "p1" } });
        await until("the writer's HMAC key", () => of("gs", "gcp:storage/hmacKey:HmacKey").find((k) => k.name === "gs-rw"));
        await until("the reader's HMAC key", () => of("gs", "gcp:storage/hmacKey:HmacKey").find((k) => k.name === "gs-ro"));
        await settle();

        /** The roles held by the service account whose HMAC key these credentials are: key → account → its bindings. */
        const rolesOf = async (credentials: pulumi.Input<{ accessKey: pulumi.Input<string> }> | undefined) => {
            const { accessKey } = await resolve(credentials!);
            const key = of("gs", "gcp:storage/hmacKey:HmacKey").find((k) => `${k.name}-access-id` === accessKey);
            assert.ok(key, `an HMAC key of this bucket's accounts has ID ${accessKey}`);
            const member = `serviceAccount:${String(key.inputs.serviceAccountEmail)}`;
            return of("gs", "gcp:storage/bucketIAMMember:BucketIAMMember")
                .filter((b) => b.inputs.member === member)
                .map((b) => [b.inputs.bucket, b.inputs.role]);
        };
        assert.deepEqual(
            await rolesOf(s.readOnlyRef.credentials),
            [["team-data", VIEWER]],
            "the reader can only read, and only this bucket",
        );
        assert.deepEqual(await rolesOf(s.ref.credentials), [["team-data", ADMIN]], "the writer reaches this bucket only");

        const accounts = of("gs", "gcp:serviceaccount/account:Account");
        assert.equal(accounts.length, 2, "a reader and a writer");
        const grants = registered.filter((r) => r.name.startsWith("gs-") && GRANT_LIKE.test(r.type));
        assert.deepEqual(
            grants.map((r) => r.type),
            ["gcp:storage/bucketIAMMember:BucketIAMMember", "gcp:storage/bucketIAMMember:BucketIAMMember"],
            "two bucket bindings and nothing at project level",
        );
        for (const b of grants) assert.deepEqual(Object.keys(b.inputs).sort(), ["bucket", "member", "role"]);
    });
});

// ---- SkyCompute on Azure: role assignments on exactly the volumes' containers --------------------

const READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
const CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
const ACCOUNTS = "/subscriptions/0000-sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts";
const scopeOf = (account: string, container: string) => `${ACCOUNTS}/${account}/blobServices/default/containers/${container}`;
const container = (account: string, name: string, scoped = true) => ({
    store: "azure" as const,
    bucket: name,
    endpoint: `https://${account}.blob.core.windows.net`,
    credentials: pulumi.secret({ accessKey: account, secretKey: "ACCOUNTKEY" }),
    ...(scoped ? { azureScope: scopeOf(account, name) } : {}),
});

interface AzureSet {
    title: string;
    volumes: Volume[];
    /** container resource ID → role definition GUID, for exactly the containers the identity must reach. */
    assignments: Record<string, string>;
}

const AZURE_SETS: AzureSet[] = [
    {
        title: "one read-only container",
        volumes: [{ storage: container("acctdata", "datasets"), mount: "/data" }],
        assignments: { [scopeOf("acctdata", "datasets")]: READER },
    },
    {
        title: "a read-only prefix: the container, Reader",
        volumes: [{ storage: container("acctdata", "datasets"), mount: "/data", prefix: "imagenet" }],
        assignments: { [scopeOf("acctdata", "datasets")]: READER },
    },
    {
        title: "a read-write prefix: the container, Contributor",
        volumes: [{ storage: container("acctwork", "work"), mount: "/out", prefix: "runs/7", readOnly: false }],
        assignments: { [scopeOf("acctwork", "work")]: CONTRIBUTOR },
    },
    {
        title: "two containers, one read-write and one read-only",
        volumes: [
            { storage: container("acctckpt", "checkpoints"), mount: "/ckpt", readOnly: false },
            { storage: container("acctdata", "datasets"), mount: "/data" },
        ],
        assignments: { [scopeOf("acctckpt", "checkpoints")]: CONTRIBUTOR, [scopeOf("acctdata", "datasets")]: READER },
    },
    {
        title: "one container, a read-only prefix and a read-write prefix: one assignment, Contributor",
        volumes: [
            { storage: container("acctlake", "lake"), mount: "/raw", prefix: "raw" },
            { storage: container("acctlake", "lake"), mount: "/curated", prefix: "curated", readOnly: false },
        ],
        assignments: { [scopeOf("acctlake", "lake")]: CONTRIBUTOR },
    },
    {
        title: "containers whose names are prefixes of each other, in one account: each exactly its own scope",
        volumes: [
            { storage: container("acctlake", "data"), mount: "/data" },
            { storage: container("acctlake", "data2"), mount: "/data2", readOnly: false },
        ],
        assignments: { [scopeOf("acctlake", "data")]: READER, [scopeOf("acctlake", "data2")]: CONTRIBUTOR },
    },
    {
        title: "containers without a resource ID, and other stores, get no assignment",
        volumes: [
            { storage: container("acctext", "external", false), mount: "/ext", readOnly: false },
            { storage: { store: "s3", bucket: "elsewhere", endpoint: "https://s3.example.com", credentials: OWN_KEYS }, mount: "/s3" },
            { storage: container("acctdata", "datasets"), mount: "/data" },
        ],
        assignments: { [scopeOf("acctdata", "datasets")]: READER },
    },
    {
        title: "no container with a resource ID: no assignment",
        volumes: [{ storage: container("acctext", "external", false), mount: "/ext" }],
        assignments: {},
    },
];

let azureComputes = 0;

describe("least privilege on Azure: SkyCompute's identity holds a data role on exactly the volumes' containers", () => {
    for (const set of AZURE_SETS) {
        it(set.title, async () => {
            const { SkyCompute } = await import("../../src");
            const name = `z${++azureComputes}`;
            new SkyCompute(name, { provider: "azure", nodes: 1, ...KEYS, volumes: set.volumes, geesefs: GEESEFS });
            await until(`${name}'s VM`, () =>
                registered.find((r) => r.name === `${name}-node-0` && r.type === "azure-native:compute:VirtualMachine"),
            );
            await settle();

            const identity = of(name, "azure-native:managedidentity:UserAssignedIdentity");
            assert.equal(identity.length, 1, "one identity of the machines' own");
            const assignments = of(name, "azure-native:authorization:RoleAssignment");
            const roleOf = (id: unknown) => {
                const m = /^\/subscriptions\/0000-sub\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-f-]+)$/.exec(
                    String(id),
                );
                assert.ok(m, `${String(id)}: a built-in role definition in the container's subscription`);
                return m[1];
            };
            assert.deepEqual(
                Object.fromEntries(assignments.map((a) => [a.inputs.scope, roleOf(a.inputs.roleDefinitionId)])),
                set.assignments,
                "one assignment per container, Reader where the volumes only read",
            );
            assert.equal(assignments.length, Object.keys(set.assignments).length, "no container assigned twice");
            for (const a of assignments) {
                // Exactly a container: never its account, resource group or subscription.
                assert.match(
                    String(a.inputs.scope),
                    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+\/blobServices\/default\/containers\/[^/]+$/,
                );
                assert.equal(a.inputs.principalId, `${identity[0].name}-principal`, "granted to the machines' identity");
                assert.equal(a.inputs.principalType, "ServicePrincipal");
                assert.deepEqual(
                    Object.keys(a.inputs).sort(),
                    ["principalId", "principalType", "roleDefinitionId", "scope"],
                    "no condition, no delegation",
                );
            }
            const grants = registered.filter((r) => r.name.startsWith(`${name}-`) && GRANT_LIKE.test(r.type));
            assert.deepEqual(
                [...new Set(grants.map((r) => r.type))],
                assignments.length > 0 ? ["azure-native:authorization:RoleAssignment"] : [],
            );
            for (const vm of of(name, "azure-native:compute:VirtualMachine"))
                assert.deepEqual(
                    vm.inputs.identity,
                    { type: "UserAssigned", userAssignedIdentities: [`${identity[0].name}-id`] },
                    "only that identity",
                );
        });
    }
});
