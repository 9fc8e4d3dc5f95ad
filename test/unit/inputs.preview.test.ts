// At preview, a volume's values given as Outputs of resources that do not exist yet (an auto-named
// bucket, a key pair) are unknown: SkyVolume still declares each host's commands, named by the mount
// paths, with scripts that are unknown until apply; the rules that read known values run, the others
// wait for apply. Only a mount path must be known, and its refusal says why. Pulumi mocks in preview mode.
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { settledVolumes, unknownMountIssues, volumeInputs } from "../../src/skyVolume/givenVolumes";
import { NOT_KNOWN } from "../../src/internal/notKnown";
import { formatIssue } from "../../src/internal/issues";
import { unknownGrantIssues } from "../../src/skyCompute/validate";
import { Registered } from "./recordingMocks";

const registered: Registered[] = [];

before(async () => {
    await pulumi.runtime.setMocks(
        {
            // Nothing computed: every output a resource does not get as input is unknown at preview.
            newResource: (args) => {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                return { id: undefined as unknown as string, state: {} };
            },
            call: () => ({}),
        },
        "project",
        "stack",
        true,
    );
});

/** A resource of another provider whose outputs are unknown at preview. */
class Thing extends pulumi.CustomResource {
    declare readonly address: pulumi.Output<string>;
    declare readonly keys: pulumi.Output<{ accessKey: string; secretKey: string }>;
    declare readonly ref: pulumi.Output<{ bucket: string; endpoint: string }>;
    constructor(name: string) {
        super("test:index:Thing", name, { address: undefined, keys: undefined, ref: undefined });
    }
}

const ref = (bucket: string) => ({ bucket, endpoint: "http://10.0.0.1:9000", pathStyle: true });
const GEESEFS = { url: "http://mirror.test/geesefs", sha256: "b".repeat(64) };
const host = (name: string) => ({ name, host: `${name}.hosts.test`, privateKey: pulumi.secret("KEY") });
const MOUNT_RULE =
    "must be known at preview: it decides the names of the volume's commands on each host; give a path known before the preview";

/** The resources named `<prefix>...` once `count` of them registered. */
async function named(prefix: string, count: number): Promise<Registered[]> {
    const deadline = Date.now() + 10_000;
    while (registered.filter((r) => r.name.startsWith(prefix)).length < count && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    return registered.filter((r) => r.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
}

/** A script the mocks saw as unknown at preview: never a known string. */
const isUnknown = (value: unknown) => typeof value !== "string" || value === pulumi.runtime.unknownValue;

describe("values unknown at preview", () => {
    it("a bucket name from a resource not created yet: accepted, its commands declared with unknown scripts", async () => {
        const { SkyVolume } = await import("../../src");
        const thing = new Thing("t1");
        new SkyVolume("auto", {
            hosts: [host("h1")],
            volumes: [{ storage: { ...ref("x"), bucket: thing.address }, mount: "/data" }],
            geesefs: GEESEFS,
        });
        const commands = await named("auto-", 3);
        assert.deepEqual(
            commands.map((c) => c.name),
            ["auto-h1-install", "auto-h1-mount/data", "auto-h1-present/data"],
        );
        const [install, mount, present] = commands;
        // The install reads no volume: its script is known.
        assert.match(String(install.inputs.create), /geesefs/);
        for (const field of ["create", "delete", "check", "triggers"]) assert.ok(isUnknown(mount.inputs[field]), `mount ${field}`);
        for (const field of ["create", "delete", "check"]) assert.ok(isUnknown(present.inputs[field]), `present ${field}`);
    });

    it("a whole ref, a mode and geesefs options unknown: accepted; the known values' rules still run", async () => {
        const { SkyVolume } = await import("../../src");
        const thing = new Thing("t2");
        assert.throws(
            () =>
                new SkyVolume("bad-known", {
                    hosts: [host("h1")],
                    volumes: [{ storage: ref("Not_A_Bucket"), mount: "/data" }],
                    geesefs: { ...GEESEFS, memoryLimitMb: 0 },
                }),
            (err: pulumi.InputPropertiesError) =>
                err.errors.map((e) => e.reason).join("\n") ===
                [
                    `volumes[0].storage.bucket: "Not_A_Bucket": must be 3-222 lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit`,
                    "geesefs.memoryLimitMb: 0: must be a whole number >= 1",
                ].join("\n"),
        );
        new SkyVolume("whole", {
            hosts: [host("h1")],
            volumes: [
                { storage: thing.ref, mount: "/a" },
                { storage: ref("bbb"), mount: "/b", mode: thing.address.apply(() => "COPY" as const) },
            ],
            geesefs: { ...GEESEFS, memoryLimitMb: thing.address.apply(() => 512) },
            aptSource: thing.address,
        });
        const commands = await named("whole-", 5);
        assert.deepEqual(
            commands.map((c) => c.name),
            ["whole-h1-install", "whole-h1-mount/a", "whole-h1-mount/b", "whole-h1-present/a", "whole-h1-present/b"],
        );
        for (const c of commands) assert.ok(isUnknown(c.inputs.create), `${c.name} create`);
    });

    it("a mount path unknown at preview is refused: it names the commands", async () => {
        const thing = new Thing("t3");
        const settled = await settledVolumes(
            volumeInputs([
                { storage: ref("a"), mount: "/a" },
                { storage: { ...ref("b"), bucket: thing.address }, mount: thing.address },
            ]),
        );
        assert.equal(settled[1].spec.storage.bucket, NOT_KNOWN);
        assert.deepEqual(unknownMountIssues(settled).map(formatIssue), [`volumes[1].mount: (unknown at preview): ${MOUNT_RULE}`]);
    });

    it("SkyCompute on AWS: a keyless bucket unknown at preview gives the role's one policy an unknown document", async () => {
        const { SkyCompute } = await import("../../src");
        const thing = new Thing("t6");
        new SkyCompute("aws", {
            provider: "aws",
            image: "ami-0abc",
            sshPublicKey: "ssh-ed25519 AAAA test",
            sshPrivateKey: pulumi.secret("KEY"),
            volumes: [{ storage: { store: "s3", bucket: thing.address, endpoint: "https://s3.us-east-1.amazonaws.com" }, mount: "/data" }],
            geesefs: GEESEFS,
        });
        const [policy] = (await named("aws-", 10)).filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
        assert.ok(policy, "the role's policy is declared");
        assert.ok(isUnknown(policy.inputs.policy), "its document is unknown at preview");
    });

    it("SkyCompute on GCP and Azure: a granted bucket unknown at preview is refused, saying why", async () => {
        const thing = new Thing("t7");
        const settled = await settledVolumes(
            volumeInputs([
                { storage: { store: "gcs", bucket: thing.address, endpoint: "https://storage.googleapis.com" }, mount: "/data" },
            ]),
        );
        assert.deepEqual(unknownGrantIssues("aws", settled), []);
        assert.deepEqual(unknownGrantIssues("gcp", settled).map(formatIssue), [
            "volumes[0].storage.bucket: (unknown at preview): must be known at preview: it decides the machines' bucket IAM bindings, one per bucket: keyed per volume instead, two volumes on one bucket would bind the same member and role twice, and deleting either binding would take the bucket from both; give a value known before the preview, or keys (storage.credentials)",
        ]);
    });

    it("a ref whose keys are unknown but whose bucket is known: the keys count as given", async () => {
        const thing = new Thing("t5");
        const partly = pulumi.secret({ ...ref("data"), credentials: thing.keys });
        const [volume] = await settledVolumes(volumeInputs([{ storage: partly, mount: "/data" }]));
        assert.deepEqual(volume.spec.storage, {
            store: undefined,
            bucket: "data",
            endpoint: "http://10.0.0.1:9000",
            region: undefined,
            pathStyle: true,
            hasCredentials: true,
            credentialsReadOnly: undefined,
        });
        assert.ok(pulumi.Output.isInstance(volume.credentials), "the keys go on as an Output");
    });
});
