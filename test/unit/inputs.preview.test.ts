// At preview, a volume's deciding fields given as Outputs of resources that do not exist yet are
// unknown: the component cannot know which mounts to declare, and says which field must be known
// (`field: value: rule`). Known parts of a partly unknown ref (its keys unknown, its bucket known, as
// another language sends SkyStorage's `ref` on a first preview) are enough. Pulumi mocks in preview mode.
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { knownVolumes } from "../../src/skyVolume/knownVolumes";
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
const UNKNOWN = "(unknown at preview)";
const RULE = "must be known at preview: it decides which mounts each host gets and what they run; give a value known before the preview";

/** The issues an InputPropertiesError carries, as `path: value: rule` lines. */
async function refusal(promise: unknown): Promise<string[]> {
    let reasons: string[] = [];
    await assert.rejects(promise as Promise<unknown>, (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err), String(err));
        reasons = err.errors.map((e) => `${e.propertyPath} => ${e.reason}`);
        return true;
    });
    return reasons;
}

describe("deciding fields unknown at preview", () => {
    it("a bucket name from a resource not created yet: field, value and rule", async () => {
        const thing = new Thing("t1");
        const known = knownVolumes("SkyVolume", [{ storage: { ...ref("x"), bucket: thing.address }, mount: "/data" }]);
        assert.ok(known instanceof Promise);
        assert.deepEqual(await refusal(known), [`volumes[0].storage.bucket => volumes[0].storage.bucket: ${UNKNOWN}: ${RULE}`]);
    });

    it("a whole ref unknown is one issue; a mount path and a mode unknown are theirs", async () => {
        const thing = new Thing("t2");
        const known = knownVolumes("SkyCompute", [
            { storage: thing.ref, mount: "/a" },
            { storage: ref("b"), mount: thing.address, mode: thing.address.apply(() => "COPY" as const) },
        ]);
        assert.deepEqual(await refusal(known), [
            `volumes[0].storage => volumes[0].storage: ${UNKNOWN}: ${RULE}`,
            `volumes[1].mount => volumes[1].mount: ${UNKNOWN}: ${RULE}`,
            `volumes[1].mode => volumes[1].mode: ${UNKNOWN}: ${RULE}`,
        ]);
    });

    it("a ref whose keys are unknown but whose bucket and endpoint are known is enough", async () => {
        const thing = new Thing("t3");
        const partly = pulumi.secret({ ...ref("data"), credentials: thing.keys });
        const [volume] = await knownVolumes("SkyVolume", [{ storage: partly, mount: "/data" }]);
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

    it("SkyVolume declares its commands at preview from Outputs that are known there", async () => {
        const { SkyVolume } = await import("../../src");
        const thing = new Thing("t4");
        new SkyVolume("pv", {
            hosts: [{ name: "h1", host: thing.address, privateKey: pulumi.secret("KEY") }],
            volumes: [{ storage: pulumi.output({ ...ref("data"), credentials: thing.keys }), mount: pulumi.output("/data") }],
            geesefs: GEESEFS,
        });
        const deadline = Date.now() + 10_000;
        while (registered.filter((r) => r.name.startsWith("pv-")).length < 3 && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(
            registered
                .filter((r) => r.name.startsWith("pv-"))
                .map((r) => r.name.replace(/-[0-9a-f]{10}$/, "-<id>"))
                .sort(),
            ["pv-h1-install", "pv-h1-mount-data-<id>", "pv-h1-present/data"],
        );
    });
});
