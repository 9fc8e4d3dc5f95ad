// The resource graphs SkyVolume and SkyStorage declare, under Pulumi mocks: exact child names and
// types, the scripts the commands carry, and bad input refused before anything is registered.
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

const registered: Registered[] = [];
// The program records each sync's manifest in the local cache: a throwaway one here.
process.env.SKYMOUNT_CACHE = mkdtempSync(path.join(tmpdir(), "skymount-cache-"));

before(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                // Computed outputs the graph reads: names (AWS fills them in), command output.
                const extra =
                    args.type === "azure-native:managedidentity:UserAssignedIdentity" ? { principalId: `${args.name}-principal` } : {};
                return { id: `${args.name}-id`, state: { name: args.name, ...args.inputs, ...extra, stdout: "", summary: "" } };
            },
            call: (args) => {
                if (args.token === "azure-native:storage:listStorageAccountKeys") {
                    return { keys: [{ keyName: "key1", permissions: "Full", value: `KEY-OF-${args.inputs.accountName}` }] };
                }
                throw new Error(`unexpected invoke ${args.token}`);
            },
        },
        "project",
        "stack",
        false,
    );
});

beforeEach(() => {
    registered.length = 0;
    retained.clear();
});

/** Registration is asynchronous: wait until `count` resources arrived, then a little longer for strays. */
async function registrations(count: number): Promise<Registered[]> {
    // Generous: the first registration loads Pulumi's closure serializer, seconds on a loaded 2-core machine.
    const deadline = Date.now() + 30_000;
    while (registered.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    return registered;
}

/** Resource options reach no mock: a transformation inherited by every child records retainOnDelete. */
const retained = new Map<string, boolean>();
const recordRetain: pulumi.ResourceTransformation = (args) => {
    retained.set(args.name, args.opts.retainOnDelete === true);
    return undefined;
};

async function settle(): Promise<void> {
    await new Promise((r) => setTimeout(r, 300));
}

const GEESEFS = { url: "http://mirror.test/geesefs", sha256: "b".repeat(64) };
// One address per host: one address under two names is refused at preview.
const host = (name: string) => ({ name, host: `${name}.hosts.test`, privateKey: pulumi.secret("KEY") });
const storage = (bucket: string) => ({
    bucket,
    endpoint: "http://10.0.0.1:9000",
    pathStyle: true,
    credentials: pulumi.secret({ accessKey: "AK", secretKey: "SK" }),
});

describe("SkyVolume graph", () => {
    it("declares per host an install and per volume its bucket and its bind mount; volumes on one bucket share its FUSE mount", async () => {
        const { SkyVolume } = await import("../../src");
        new SkyVolume("vols", {
            hosts: [host("h1"), host("h2")],
            volumes: [
                { storage: storage("data"), mount: "/data", prefix: "a" },
                { storage: storage("data"), mount: "/b", prefix: "b" },
                { storage: storage("data"), mount: "/c" },
                { storage: storage("out"), mount: "/out", readOnly: false },
            ],
            geesefs: GEESEFS,
        });
        const names = (await registrations(19)).map((r) => r.name);
        assert.equal(registered[0].type, "skymount:index:SkyVolume");
        const commands = names.filter((n) => n !== "vols").sort();
        assert.equal(commands.length, 2 * (1 + 4 + 4));
        for (const h of ["h1", "h2"]) {
            assert.ok(commands.includes(`vols-${h}-install`));
            for (const p of ["/data", "/b", "/c", "/out"]) {
                assert.ok(commands.includes(`vols-${h}-mount${p}`));
                assert.ok(commands.includes(`vols-${h}-present${p}`));
            }
        }
        const byName = (n: string) => registered.find((r) => r.name === n)!;
        // Three volumes on one bucket: one FUSE mount, held by each of them.
        const shared = ["/data", "/b", "/c"].map((p) => String(byName(`vols-h1-mount${p}`).inputs.create));
        const dirs = shared.map((script) => /\/var\/lib\/skymount\/mnt\/data-[0-9a-f]{10}/.exec(script)?.[0]);
        assert.ok(dirs[0], "the bucket's mount point");
        assert.equal(new Set(dirs).size, 1, "one mount point");
        const holders = shared.map((script) => /\/holders\/[0-9a-f]{10}\/([0-9a-f]{16})/.exec(script)?.[1]);
        assert.equal(new Set(holders).size, 3, "a holder per volume");
        const fstabLines = shared.map((script) => /^fstab_line=.*$/m.exec(script)?.[0]);
        assert.ok(fstabLines[0]);
        assert.equal(new Set(fstabLines).size, 1, "the same mount, whichever volume's command mounts it");
        // Another bucket is another mount: this volume lets go of the old one.
        assert.deepEqual(byName("vols-h1-mount/c").inputs.triggers, [dirs[0]]);
        const mount = byName("vols-h1-mount/out");
        assert.match(String(mount.inputs.create), /skymount-geesefs#out \/var\/lib\/skymount\/mnt\/out-[0-9a-f]{10} fuse /);
        assert.match(String(mount.inputs.delete), /unmount/);
        assert.doesNotMatch(String(mount.inputs.create), /SK/, "the secret key is not in the script");
    });

    it("refuses bad input before registering anything", async () => {
        const { SkyVolume } = await import("../../src");
        assert.throws(
            () =>
                new SkyVolume("bad", { hosts: [host("h1")], volumes: [{ storage: storage("data"), mount: "relative" }], geesefs: GEESEFS }),
            (err: pulumi.InputPropertiesError) =>
                pulumi.InputPropertiesError.isInstance(err) &&
                err.errors[0].propertyPath === "volumes[0].mount" &&
                err.errors[0].reason === 'volumes[0].mount: "relative": must be an absolute path',
        );
        await settle();
        assert.deepEqual(registered, []);
    });
});

describe("SkyStorage graph", () => {
    let dir: string;
    before(() => {
        dir = mkdtempSync(path.join(tmpdir(), "skymount-mocks-"));
        writeFileSync(path.join(dir, "a.txt"), "a");
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("a managed S3-compatible bucket with a source: the bucket and one sync", async () => {
        const { SkyStorage } = await import("../../src");
        const s = new SkyStorage("ds", {
            name: "datasets",
            source: dir,
            persistent: false,
            s3Compatible: { endpoint: "http://10.0.0.1:9000", accessKey: "AK", secretKey: pulumi.secret("SK") },
        });
        assert.deepEqual(
            (await registrations(3)).map((r) => r.name),
            ["ds", "ds-bucket", "ds-sync-source"],
        );
        const sync = registered[2].inputs;
        // Only the manifest's digest, count and bytes go to the engine (the manifest is a local record).
        const text = `a.txt\t1:${createHash("sha256").update("a").digest().subarray(0, 16).toString("base64url")}`;
        assert.equal(sync.manifestDigest, createHash("sha256").update(text).digest("hex"));
        assert.deepEqual([sync.fileCount, sync.totalBytes, sync.files], [1, 1, undefined]);
        assert.equal(sync.deleteOnDestroy, true);
        assert.equal(s.ref.bucket, "datasets");
        assert.equal(s.ref.pathStyle, true);
        assert.equal(await new Promise((r) => pulumi.isSecret(pulumi.output(s.ref.credentials!)).then(r)), true);
    });

    it("an existing bucket by URI: no resources, only a ref", async () => {
        const { SkyStorage } = await import("../../src");
        const s = new SkyStorage("ext", { source: "gs://public-data" });
        assert.deepEqual(
            (await registrations(1)).map((r) => r.name),
            ["ext"],
        );
        assert.deepEqual(
            { store: s.ref.store, bucket: s.ref.bucket, endpoint: s.ref.endpoint },
            { store: "gcs", bucket: "public-data", endpoint: "https://storage.googleapis.com" },
        );
    });

    it("an AWS bucket: private, owner-enforced, encrypted, and key pairs scoped to it only when asked", async () => {
        const { SkyStorage } = await import("../../src");
        const s = new SkyStorage(
            "aws",
            { name: "team-data", source: dir, region: "eu-west-1", aws: { hostKeys: true } },
            { transformations: [recordRetain] },
        );
        const byName = new Map((await registrations(12)).map((r) => [r.name, r]));
        assert.equal(registered.length, 12);
        assert.deepEqual([...byName.keys()].sort(), [
            "aws",
            "aws-bucket",
            "aws-encryption",
            "aws-host-ro",
            "aws-host-rw",
            "aws-ownership",
            "aws-public-access",
            "aws-sync-source",
        ]);
        const types = registered.map((r) => r.type).sort();
        assert.deepEqual(
            types.filter((t) => t.startsWith("aws:iam")),
            [
                "aws:iam/accessKey:AccessKey",
                "aws:iam/accessKey:AccessKey",
                "aws:iam/user:User",
                "aws:iam/user:User",
                "aws:iam/userPolicy:UserPolicy",
                "aws:iam/userPolicy:UserPolicy",
            ],
        );
        assert.deepEqual(byName.get("aws-bucket")!.inputs, { bucket: "team-data", region: "eu-west-1", forceDestroy: false });
        assert.deepEqual(byName.get("aws-public-access")!.inputs, {
            bucket: "aws-bucket-id",
            region: "eu-west-1",
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepEqual(byName.get("aws-ownership")!.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        assert.deepEqual(byName.get("aws-encryption")!.inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
        const policies = registered
            .filter((r) => r.type === "aws:iam/userPolicy:UserPolicy")
            .map((r) => JSON.parse(String(r.inputs.policy)));
        const readOnly = policies.find((p) => !JSON.stringify(p).includes("PutObject"))!;
        assert.deepEqual(
            readOnly.Statement.map((st: { Action: string[] }) => st.Action),
            [["s3:ListBucket", "s3:GetBucketLocation"], ["s3:GetObject"]],
        );
        assert.equal(await pulumi.isSecret(pulumi.output(s.ref.credentials!)), true);
        assert.equal(await pulumi.isSecret(pulumi.output(s.readOnlyRef.credentials!)), true);
        assert.equal(s.ref.endpoint, "https://s3.eu-west-1.amazonaws.com");
        for (const r of ["aws-bucket", "aws-public-access", "aws-ownership", "aws-encryption"])
            assert.equal(retained.get(r), true, `${r} is retained on destroy`);
        assert.equal(retained.get("aws-host-rw"), false, "key pairs go with the stack");
    });
});

describe("SkyStorage graph on GCS", () => {
    it("uniform access, no public access, and HMAC keys of a reader and a writer scoped to the bucket", async () => {
        const { SkyStorage } = await import("../../src");
        const s = new SkyStorage("gcs", { name: "team-data", gcp: { project: "p1" } }, { transformations: [recordRetain] });
        const all = await registrations(8);
        assert.equal(all.length, 8);
        const of = (type: string) => all.filter((r) => r.type === type);
        assert.deepEqual(of("gcp:storage/bucket:Bucket")[0].inputs, {
            name: "team-data",
            project: "p1",
            location: "US-CENTRAL1",
            storageClass: "STANDARD",
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            forceDestroy: false,
        });
        assert.deepEqual(
            of("gcp:storage/bucketIAMMember:BucketIAMMember")
                .map((m) => m.inputs.role)
                .sort(),
            ["roles/storage.objectUser", "roles/storage.objectViewer"],
        );
        assert.equal(of("gcp:storage/hmacKey:HmacKey").length, 2);
        assert.ok(of("gcp:serviceaccount/account:Account").every((a) => /^sky-[0-9a-f]{12}-r[ow]$/.test(String(a.inputs.accountId))));
        assert.equal(await pulumi.isSecret(pulumi.output(s.ref.credentials!)), true);
        assert.equal(await pulumi.isSecret(pulumi.output(s.readOnlyRef.credentials!)), true);
        assert.equal(s.ref.endpoint, "https://storage.googleapis.com");
        assert.equal(retained.get("gcs-bucket"), true, "the persistent bucket is retained on destroy");
    });
});

describe("SkyStorage graph on Azure", () => {
    it("a storage account of its own (private, HTTPS, TLS 1.2), a private container, the key as secret credentials, all retained when persistent", async () => {
        const { SkyStorage } = await import("../../src");
        const s = new SkyStorage(
            "az",
            { name: "team-data", region: "westeurope", azure: { storageAccountName: "skyteamdata1" } },
            { transformations: [recordRetain] },
        );
        const all = await registrations(4);
        assert.deepEqual(all.map((r) => r.type).sort(), [
            "azure-native:resources:ResourceGroup",
            "azure-native:storage:BlobContainer",
            "azure-native:storage:StorageAccount",
            "skymount:index:SkyStorage",
        ]);
        const of = (type: string) => all.find((r) => r.type === type)!.inputs;
        assert.deepEqual(of("azure-native:resources:ResourceGroup"), { location: "westeurope" });
        assert.deepEqual(of("azure-native:storage:StorageAccount"), {
            accountName: "skyteamdata1",
            resourceGroupName: "az-rg",
            location: "westeurope",
            kind: "StorageV2",
            sku: { name: "Standard_LRS" },
            accessTier: "Hot",
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: "TLS1_2",
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: true,
            encryption: { keySource: "Microsoft.Storage", services: { blob: { enabled: true, keyType: "Account" } } },
        });
        assert.deepEqual(of("azure-native:storage:BlobContainer"), {
            containerName: "team-data",
            accountName: "az-account",
            resourceGroupName: "az-rg",
            publicAccess: "None",
        });
        assert.equal(s.ref.endpoint, "https://skyteamdata1.blob.core.windows.net");
        assert.equal(s.ref.store, "azure");
        assert.equal(await pulumi.isSecret(pulumi.output(s.ref.credentials!)), true);
        assert.equal(await pulumi.isSecret(pulumi.output(s.readOnlyRef.credentials!)), true);
        assert.deepEqual(await new Promise((r) => pulumi.output(s.ref.credentials!).apply(r)), {
            accessKey: "az-account",
            secretKey: "KEY-OF-az-account",
        });
        assert.equal(await new Promise((r) => pulumi.output(s.ref.azureScope!).apply(r)), "az-container-id");
        assert.equal(s.readOnlyRef.readOnly, true);
        assert.deepEqual(Object.fromEntries(retained), { az: false, "az-rg": true, "az-account": true, "az-container": true });
    });

    it("an account in a given resource group, deleted with the stack when not persistent", async () => {
        const { SkyStorage } = await import("../../src");
        new SkyStorage(
            "tmp",
            { name: "scratch", persistent: false, azure: { resourceGroupName: "ml-rg" } },
            { transformations: [recordRetain] },
        );
        const all = await registrations(3);
        assert.deepEqual(Object.fromEntries(retained), { tmp: false, "tmp-account": false, "tmp-container": false });
        assert.equal(all.filter((r) => r.type === "azure-native:resources:ResourceGroup").length, 0);
        const account = all.find((r) => r.type === "azure-native:storage:StorageAccount")!.inputs;
        assert.equal(account.resourceGroupName, "ml-rg");
        assert.match(String(account.accountName), /^sky[0-9a-f]{21}$/);
    });
});

describe("SkyCompute graph on Azure", () => {
    it("VMs with SSH keys only, SSH admitted from one CIDR, and an identity with a data role on exactly the volumes' containers", async () => {
        const { SkyCompute } = await import("../../src");
        const sub = "/subscriptions/0000-sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts";
        const container = (account: string, bucket: string) => ({
            store: "azure" as const,
            bucket,
            endpoint: `https://${account}.blob.core.windows.net`,
            credentials: pulumi.secret({ accessKey: account, secretKey: "ACCOUNTKEY" }),
            azureScope: `${sub}/${account}/blobServices/default/containers/${bucket}`,
        });
        const compute = new SkyCompute("train", {
            provider: "azure",
            nodes: 2,
            region: "westeurope",
            sshPublicKey: "ssh-ed25519 AAAA test",
            sshPrivateKey: pulumi.secret("KEY"),
            azure: { sshCidr: "203.0.113.0/24" },
            volumes: [
                { storage: container("acctdata", "datasets"), mount: "/data", prefix: "imagenet" },
                { storage: container("acctdata", "datasets"), mount: "/all" },
                { storage: container("acctckpt", "checkpoints"), mount: "/ckpt", readOnly: false },
                { storage: storage("scratch"), mount: "/scratch", readOnly: false },
            ],
            geesefs: GEESEFS,
        });
        const all = await registrations(31);
        const of = (type: string) => all.filter((r) => r.type === type);
        assert.equal(of("azure-native:resources:ResourceGroup").length, 1);
        assert.equal(of("azure-native:managedidentity:UserAssignedIdentity").length, 1);
        assert.deepEqual(
            of("azure-native:authorization:RoleAssignment")
                .map((r) => [r.inputs.scope, r.inputs.roleDefinitionId, r.inputs.principalId, r.inputs.principalType])
                .sort(),
            [
                [
                    `${sub}/acctckpt/blobServices/default/containers/checkpoints`,
                    "/subscriptions/0000-sub/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
                    "train-identity-principal",
                    "ServicePrincipal",
                ],
                [
                    `${sub}/acctdata/blobServices/default/containers/datasets`,
                    "/subscriptions/0000-sub/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
                    "train-identity-principal",
                    "ServicePrincipal",
                ],
            ],
            "Contributor on the written container, Reader on the read one, nothing else",
        );
        const rules = of("azure-native:network:NetworkSecurityGroup")[0].inputs.securityRules as Array<Record<string, unknown>>;
        assert.deepEqual(rules, [
            {
                name: "ssh",
                priority: 1000,
                direction: "Inbound",
                access: "Allow",
                protocol: "Tcp",
                sourceAddressPrefix: "203.0.113.0/24",
                sourcePortRange: "*",
                destinationAddressPrefix: "*",
                destinationPortRange: "22",
            },
        ]);
        assert.deepEqual(of("azure-native:network:VirtualNetwork")[0].inputs.subnets, [
            { name: "skymount", addressPrefix: "10.42.0.0/24" },
        ]);
        assert.equal(of("azure-native:network:PublicIPAddress").length, 2);
        for (const nic of of("azure-native:network:NetworkInterface"))
            assert.deepEqual(nic.inputs.networkSecurityGroup, { id: "train-nsg-id" });
        const vms = of("azure-native:compute:VirtualMachine");
        assert.equal(vms.length, 2);
        for (const vm of vms) {
            const os = vm.inputs.osProfile as {
                adminUsername: string;
                linuxConfiguration: { disablePasswordAuthentication: boolean; ssh: { publicKeys: unknown[] } };
            };
            assert.equal(os.adminUsername, "azureuser");
            assert.equal(os.linuxConfiguration.disablePasswordAuthentication, true);
            assert.deepEqual(os.linuxConfiguration.ssh.publicKeys, [
                { path: "/home/azureuser/.ssh/authorized_keys", keyData: "ssh-ed25519 AAAA test" },
            ]);
            assert.deepEqual(vm.inputs.identity, { type: "UserAssigned", userAssignedIdentities: ["train-identity-id"] });
            assert.deepEqual((vm.inputs.storageProfile as { imageReference: unknown }).imageReference, {
                publisher: "Canonical",
                offer: "ubuntu-24_04-lts",
                sku: "server",
                version: "latest",
            });
            assert.equal(vm.inputs.location, "westeurope");
        }
        assert.deepEqual(await new Promise((r) => compute.sshUsers.apply(r)), ["azureuser", "azureuser"]);
        // Volumes mount on the new VMs; the account key never appears in a script.
        const mounts = all.filter((r) => r.name.startsWith("train-node-0-mount/"));
        assert.equal(mounts.length, 4, "each volume's bucket");
        for (const m of mounts) assert.doesNotMatch(String(m.inputs.create), /ACCOUNTKEY/);
    });

    it("refuses an image that is not a URN before declaring anything", async () => {
        const { SkyCompute } = await import("../../src");
        assert.throws(
            () => new SkyCompute("bad", { provider: "azure", image: "ubuntu", sshPublicKey: "k", sshPrivateKey: "k" }),
            /image: "ubuntu": must be an Azure image URN/,
        );
        await settle();
        assert.deepEqual(registered, []);
    });
});

describe("SkyCompute graph on AWS", () => {
    it("IMDSv2-only instances with a role that reaches exactly the volumes, read-only where they are", async () => {
        const { SkyCompute } = await import("../../src");
        const s3 = (bucket: string) => ({ store: "s3" as const, bucket, endpoint: "https://s3.us-east-1.amazonaws.com" });
        new SkyCompute("train", {
            provider: "aws",
            nodes: 2,
            image: "ami-0abc",
            sshPublicKey: "ssh-ed25519 AAAA test",
            sshPrivateKey: pulumi.secret("KEY"),
            aws: { sshCidr: "203.0.113.0/24" },
            volumes: [
                { storage: s3("datasets"), mount: "/data", prefix: "imagenet" },
                { storage: s3("checkpoints"), mount: "/ckpt", readOnly: false },
            ],
            geesefs: GEESEFS,
        });
        const all = await registrations(19);
        assert.equal(
            all.length,
            19,
            "sg, key pair, role, policy, profile, 2 instances, 2 components, 2 x (install, 2 volumes' buckets, 2 presents)",
        );
        const of = (type: string) => all.filter((r) => r.type === type);
        const instances = of("aws:ec2/instance:Instance");
        assert.equal(instances.length, 2);
        for (const instance of instances) {
            assert.deepEqual(instance.inputs.metadataOptions, {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 2,
            });
            assert.equal(instance.inputs.iamInstanceProfile, "train-profile", "the instance profile is attached");
            assert.equal(instance.inputs.ami, "ami-0abc");
        }
        assert.deepEqual(of("aws:ec2/securityGroup:SecurityGroup")[0].inputs.ingress, [
            { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["203.0.113.0/24"], description: "SSH" },
        ]);
        const policy = JSON.parse(String(of("aws:iam/rolePolicy:RolePolicy")[0].inputs.policy));
        assert.deepEqual(policy.Statement, [
            {
                Effect: "Allow",
                Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
                Resource: "arn:aws:s3:::checkpoints",
            },
            {
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                Resource: "arn:aws:s3:::checkpoints/*",
            },
            {
                Effect: "Allow",
                Action: ["s3:ListBucket"],
                Resource: "arn:aws:s3:::datasets",
                Condition: { StringLike: { "s3:prefix": ["imagenet/*"] } },
            },
            { Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: "arn:aws:s3:::datasets" },
            { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::datasets/imagenet/*" },
        ]);
        const trust = JSON.parse(String(of("aws:iam/role:Role")[0].inputs.assumeRolePolicy));
        assert.deepEqual(trust.Statement[0].Principal, { Service: "ec2.amazonaws.com" });
        // The volumes mount on the new instances, with no keys: geesefs uses the role.
        const mounts = all.filter((r) => r.name.startsWith("train-node-0-mount/"));
        assert.equal(mounts.length, 2);
        for (const m of mounts) {
            assert.doesNotMatch(String(m.inputs.create), /--shared-config|--iam/);
            assert.equal(m.inputs.stdin, undefined);
        }
    });
});

describe("SkyCompute graph on GCP", () => {
    it("instances with their own service account, SSH only to them, and an HMAC key bound to exactly the volumes' buckets", async () => {
        const { SkyCompute } = await import("../../src");
        const gcs = (bucket: string) => ({ store: "gcs" as const, bucket, endpoint: "https://storage.googleapis.com" });
        new SkyCompute("train", {
            provider: "gcp",
            nodes: 2,
            zone: "europe-west4-a",
            sshPublicKey: "ssh-ed25519 AAAA test",
            sshPrivateKey: pulumi.secret("KEY"),
            gcp: { sshCidr: "203.0.113.0/24" },
            volumes: [
                { storage: gcs("datasets"), mount: "/data", prefix: "imagenet" },
                { storage: gcs("datasets"), mount: "/all" },
                { storage: gcs("checkpoints"), mount: "/ckpt", readOnly: false },
            ],
            geesefs: GEESEFS,
        });
        const all = await registrations(23);
        assert.equal(
            all.length,
            23,
            "account, 2 bindings, HMAC key, firewall, 2 instances, 2 components, 2 x (install, 3 volumes' buckets, 3 presents)",
        );
        const of = (type: string) => all.filter((r) => r.type === type);
        const instances = of("gcp:compute/instance:Instance");
        assert.equal(instances.length, 2);
        for (const instance of instances) {
            assert.equal(instance.inputs.zone, "europe-west4-a");
            assert.deepEqual(instance.inputs.metadata, { "ssh-keys": "ubuntu:ssh-ed25519 AAAA test" });
            assert.deepEqual((instance.inputs.serviceAccount as { scopes: string[] }).scopes, ["cloud-platform"]);
        }
        const firewall = of("gcp:compute/firewall:Firewall")[0].inputs;
        assert.deepEqual(firewall.sourceRanges, ["203.0.113.0/24"]);
        assert.deepEqual(firewall.targetTags, instances[0].inputs.tags);
        assert.deepEqual(
            of("gcp:storage/bucketIAMMember:BucketIAMMember")
                .map((m) => [m.inputs.bucket, m.inputs.role])
                .sort(),
            [
                ["checkpoints", "roles/storage.objectUser"],
                ["datasets", "roles/storage.objectViewer"],
            ],
        );
        assert.equal(of("gcp:storage/hmacKey:HmacKey").length, 1);
        // The GCS volumes mount with that key, delivered on stdin.
        const mounts = all.filter((r) => r.name.startsWith("train-node-0-mount/"));
        assert.equal(mounts.length, 3);
        for (const m of mounts) assert.match(String(m.inputs.create), /--shared-config=/);
    });
});
