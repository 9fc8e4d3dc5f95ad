// At apply, a value unknown at preview (a bucket name another resource makes in the same `up`) is
// known: the rules that waited for it run then, and a broken one fails with the same
// `field: value: rule` text as at preview, before SkyVolume declares a command; a good one gives the
// scripts (SkyVolume validates the settled volumes before it declares a command; the unhandled
// failure of a component's outputs would end this test file, so the rule's text is asserted on them). SkyCompute checks its volumes before it declares a machine. Pulumi mocks, a real update.
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { before, beforeEach, describe, it } from "node:test";
import { recordRegistrations, Registered } from "./recordingMocks";
import { settledVolumes, volumeInputs } from "../../src/skyVolume/givenVolumes";
import { validateVolumes } from "../../src/skyVolume/validate";
import { formatIssue } from "../../src/internal/issues";

const registered: Registered[] = [];

// A Thing's `name` is made by its provider, as an auto-named bucket's is.
before(() => recordRegistrations(registered, (name) => ({ stdout: "", name: name.startsWith("bad") ? "Bad_Name" : `made-${name}` })));
beforeEach(() => void (registered.length = 0));

class Thing extends pulumi.CustomResource {
    declare readonly name: pulumi.Output<string>;
    constructor(name: string) {
        super("test:index:Thing", name, { name: undefined });
    }
}

const GEESEFS = { url: "http://mirror.test/geesefs", sha256: "b".repeat(64) };
const host = (name: string) => ({ name, host: `${name}.hosts.test`, privateKey: pulumi.secret("KEY") });
const storage = (bucket: pulumi.Input<string>) => ({ bucket, endpoint: "http://10.0.0.1:9000", pathStyle: true });
const BUCKET_RULE = "must be 3-222 lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit";
const settled = (output: pulumi.Output<unknown>) => (output as unknown as { promise(): Promise<unknown> }).promise();

describe("values known only at apply", () => {
    it("a good bucket name: the scripts mount it", async () => {
        const { SkyVolume } = await import("../../src");
        const thing = new Thing("good");
        const volume = new SkyVolume("v", {
            hosts: [host("h1")],
            volumes: [{ storage: storage(thing.name), mount: "/data" }],
            geesefs: GEESEFS,
        });
        assert.deepEqual(await settled(volume.mounted), ["h1:/data <- made-good (ro)"]);
        const mount = registered.find((r) => r.name === "v-h1-mount/data")!;
        assert.match(String(mount.inputs.create), /mount bucket made-good at/);
    });

    it("a broken bucket name fails with field, value and rule", async () => {
        const thing = new Thing("bad1");
        const volumes = await settledVolumes(volumeInputs([{ storage: storage(thing.name), mount: "/data" }]));
        assert.deepEqual(validateVolumes({ volumes: volumes.map((v) => v.spec), geesefs: GEESEFS }).map(formatIssue), [
            `volumes[0].storage.bucket: "Bad_Name": ${BUCKET_RULE}`,
        ]);
    });

    it("SkyCompute: a broken volume declares no machine and no command", async () => {
        const { SkyCompute } = await import("../../src");
        assert.throws(
            () =>
                new SkyCompute("c", {
                    provider: "aws",
                    sshPublicKey: "ssh-ed25519 AAAA test",
                    sshPrivateKey: pulumi.secret("KEY"),
                    volumes: [{ storage: { ...storage("data"), credentials: { accessKey: "a", secretKey: "s" } }, mount: "relative" }],
                    geesefs: GEESEFS,
                }),
            (err: pulumi.InputPropertiesError) =>
                err.errors.map((e) => e.reason).join("\n") === 'volumes[0].mount: "relative": must be an absolute path',
        );
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(registered, []);
    });
});
