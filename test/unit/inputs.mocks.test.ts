// A volume's fields as Outputs, as another language's program gives them (SkyStorage's `ref` is an
// output there): SkyVolume and SkyCompute declare exactly what they declare for the same plain values,
// with the keys still secret and out of the scripts. Pulumi mocks, a real update (not a preview).
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, beforeEach, describe, it } from "node:test";
import { recordRegistrations, Registered } from "./recordingMocks";

const registered: Registered[] = [];

before(() => recordRegistrations(registered, () => ({ stdout: "", summary: "" })));
beforeEach(() => void (registered.length = 0));

/** Waits until registrations stop arriving (at most 10 s). */
async function quiet(): Promise<Registered[]> {
    const deadline = Date.now() + 10_000;
    let seen = -1;
    while (registered.length !== seen && Date.now() < deadline) {
        seen = registered.length;
        await new Promise((r) => setTimeout(r, 300));
    }
    return registered;
}

const GEESEFS = { url: "http://mirror.test/geesefs", sha256: "b".repeat(64) };
const host = (name: string) => ({ name, host: `${name}.hosts.test`, privateKey: pulumi.secret("KEY") });
const ref = (bucket: string) => ({
    store: "s3compatible" as const,
    bucket,
    endpoint: "http://10.0.0.1:9000",
    pathStyle: true,
    credentials: pulumi.secret({ accessKey: "AK", secretKey: "SK" }),
});

/** The commands' names and their scripts, sorted, with the component's own name (with the volume's path, it names the mount's holder) taken out. */
function commandsOf(list: Registered[], component: string) {
    const commands = list.filter((r) => r.type.endsWith("RemoteCommand") && r.name.startsWith(`${component}-`));
    const paths = commands.flatMap((r) => /-mount(\/.*)$/.exec(r.name)?.[1] ?? []);
    const neutral = (script: unknown) =>
        paths
            .reduce((text, path) => {
                const holder = `project/stack/${component}:${path}`;
                const id = createHash("sha256").update(holder).digest("hex").slice(0, 16);
                return text.replaceAll(id, `<holder${path}>`).replaceAll(holder, `<holder${path}>`);
            }, String(script))
            .replaceAll(`project/stack/${component}`, "<holders' group>");
    return commands
        .map((r) => [r.name.slice(component.length), neutral(r.inputs.create), neutral(r.inputs.delete), neutral(r.inputs.check)] as const)
        .sort(([a], [b]) => a.localeCompare(b));
}

/** The value an Output resolves to (the SDK's own accessor). */
const settled = (output: pulumi.Output<unknown>) => (output as unknown as { promise(): Promise<unknown> }).promise();

describe("SkyVolume with Output fields", () => {
    it("declares the same commands for a whole ref given as an Output, and a mount path, prefix and mode given as Outputs", async () => {
        const { SkyVolume } = await import("../../src");
        const plain = new SkyVolume("plain", {
            hosts: [host("h1"), host("h2")],
            volumes: [
                { storage: ref("data"), mount: "/data", prefix: "train" },
                { storage: ref("out"), mount: "/out", readOnly: false },
                { storage: ref("data"), mount: "/snap", mode: "COPY" },
            ],
            geesefs: GEESEFS,
        });
        const outputs = new SkyVolume("outputs", {
            hosts: [host("h1"), host("h2")],
            volumes: [
                { storage: pulumi.secret(ref("data")), mount: pulumi.output("/data"), prefix: Promise.resolve("train") },
                { storage: { ...ref("out"), bucket: pulumi.output("out") }, mount: "/out", readOnly: pulumi.output(false) },
                { storage: pulumi.output(ref("data")), mount: "/snap", mode: pulumi.output("COPY" as const) },
            ],
            geesefs: GEESEFS,
        });
        const [plainMounted, outputMounted] = await Promise.all([settled(plain.mounted), settled(outputs.mounted)]);
        const list = await quiet();
        assert.deepEqual(outputMounted, plainMounted);
        assert.equal((outputMounted as string[]).length, 6);
        assert.equal(
            commandsOf(list, "outputs").length,
            2 * (1 + 3 + 3),
            "per host: the install, and per volume its bucket and its bind mount",
        );
        assert.deepEqual(commandsOf(list, "outputs"), commandsOf(list, "plain"));
        for (const mount of list.filter((r) => r.name.startsWith("outputs-h1-mount/"))) {
            assert.doesNotMatch(String(mount.inputs.create), /SK/, "the secret key is not in the script");
            assert.match(JSON.stringify(mount.inputs.stdin), /SK/, "the keys reach the host on stdin");
        }
    });
});

describe("SkyCompute with Output fields", () => {
    it("mounts a ref given as an Output on existing hosts like a plain one", async () => {
        const { SkyCompute } = await import("../../src");
        const plain = new SkyCompute("cplain", {
            provider: "ssh",
            ssh: { hosts: [host("n1")] },
            volumes: [{ storage: ref("data"), mount: "/data" }],
            geesefs: GEESEFS,
        });
        const outputs = new SkyCompute("coutputs", {
            provider: "ssh",
            ssh: { hosts: [host("n1")] },
            volumes: [{ storage: pulumi.output(ref("data")), mount: pulumi.output("/data") }],
            geesefs: GEESEFS,
        });
        assert.deepEqual(await settled(outputs.mounted), await settled(plain.mounted));
        const list = await quiet();
        assert.deepEqual(commandsOf(list, "coutputs"), commandsOf(list, "cplain"));
        assert.equal(commandsOf(list, "coutputs").length, 3);
    });
});
