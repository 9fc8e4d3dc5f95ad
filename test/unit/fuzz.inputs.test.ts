// Thousands of generated argument sets thrown at the three components under Pulumi mocks. Each set
// starts from a valid one and gets a few fields replaced by values of every shape a program can
// send (wrong types, empty and huge strings, fractions, NaN, nested garbage, unknown fields). The
// property: the constructor either accepts the set, or throws one InputPropertiesError whose every
// line reads `field: value: rule`, having registered nothing; it never crashes with another error,
// never takes long, and leaves no rejected promise behind.
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { GEESEFS, SSH_KEYS } from "./fixtures";
import { recordRegistrations, Registered } from "./recordingMocks";

const registered: Registered[] = [];
const stray: unknown[] = [];
const onRejection = (reason: unknown) => void stray.push(reason);
let dir: string;

before(async () => {
    await recordRegistrations(registered, (name) => ({ stdout: "", summary: "", arn: `arn:aws:iam::123:role/${name}` }), {
        // The AWS driver looks up Ubuntu's AMI when no image is given.
        "aws:ec2/getAmi:getAmi": { id: "ami-0ubuntu", imageId: "ami-0ubuntu" },
    });
    process.on("unhandledRejection", onRejection);
    dir = mkdtempSync(path.join(tmpdir(), "skymount-fuzz-"));
    writeFileSync(path.join(dir, "a.txt"), "a");
});
after(() => {
    process.off("unhandledRejection", onRejection);
    rmSync(dir, { recursive: true, force: true });
});

/** How many sets each component gets; the total is said in the test's name. */
const RUNS = 1000;

/** Values of every shape a Python, Go or YAML program (or a typo in TypeScript) can send. */
const garbage: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(undefined, null, true, false, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 65536, 2 ** 53),
    fc.constantFrom("", " ", ".", "..", "/", "/etc", "/data", "data", "../x", "a".repeat(300), "s3://", "gs://b/..", "\u0000", "x\ny"),
    fc.constantFrom(
        "s3",
        "gcs",
        "azure",
        "r2",
        "s3compatible",
        "MOUNT",
        "COPY",
        "MOUNT_CACHED",
        "group",
        "everyone",
        "aws",
        "gcp",
        "ssh",
        "http://10.0.0.1:9000",
    ),
    fc.string({ maxLength: 40 }),
    fc.integer({ min: -10, max: 100_000 }),
    fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()), { maxKeys: 3 }),
);

/** `base` with the value at each of `changes`' paths replaced (undefined deletes it). Paths are dotted; a number indexes an array. */
function mutated(base: Record<string, unknown>, changes: [string, unknown][]): Record<string, unknown> {
    const copy = structuredClone(base);
    for (const [where, value] of changes) {
        const keys = where.split(".");
        let node: Record<string, unknown> = copy;
        for (const key of keys.slice(0, -1)) {
            if (typeof node[key] !== "object" || node[key] === null) node[key] = /^\d+$/.test(keys[keys.indexOf(key) + 1] ?? "") ? [] : {};
            node = node[key] as Record<string, unknown>;
        }
        const last = keys[keys.length - 1];
        if (value === undefined) delete node[last];
        else node[last] = value;
    }
    return copy;
}

/** Up to four changes drawn from the component's own field paths (and one it does not have). */
const changesOf = (paths: string[]) => fc.array(fc.tuple(fc.constantFrom(...paths, "notAField"), garbage), { minLength: 1, maxLength: 4 });

const storageRef = { store: "s3compatible", bucket: "datasets", endpoint: "http://10.0.0.1:9000", pathStyle: true };
const sshHost = { name: "h1", host: "10.0.0.2", user: "ubuntu", privateKey: SSH_KEYS.private };

const STORAGE = {
    base: () => ({
        name: "datasets",
        source: dir,
        persistent: true,
        s3Compatible: { endpoint: "http://10.0.0.1:9000", accessKey: "AK", secretKey: "SK" },
    }),
    paths: [
        "name",
        "source",
        "sources",
        "sources.0",
        "store",
        "persistent",
        "region",
        "prefix",
        "ignore",
        "ignore.0",
        "aws",
        "aws.hostKeys",
        "gcp",
        "gcp.project",
        "azure",
        "azure.resourceGroupName",
        "azure.storageAccountName",
        "s3Compatible",
        "s3Compatible.endpoint",
        "s3Compatible.preset",
        "s3Compatible.accountId",
        "s3Compatible.pathStyle",
        "s3Compatible.accessKey",
        "s3Compatible.secretKey",
        "s3Compatible.region",
    ],
};
const VOLUME = {
    base: () => ({
        hosts: [sshHost],
        volumes: [{ storage: { ...storageRef, credentials: { accessKey: "AK", secretKey: "SK" } }, mount: "/data", readOnly: true }],
        geesefs: GEESEFS,
    }),
    paths: [
        "hosts",
        "hosts.0",
        "hosts.0.name",
        "hosts.0.host",
        "hosts.0.port",
        "hosts.0.user",
        "hosts.0.privateKey",
        "hosts.0.hostKey",
        "volumes",
        "volumes.0",
        "volumes.0.storage",
        "volumes.0.storage.bucket",
        "volumes.0.storage.endpoint",
        "volumes.0.storage.store",
        "volumes.0.storage.region",
        "volumes.0.storage.pathStyle",
        "volumes.0.storage.credentials",
        "volumes.0.mount",
        "volumes.0.prefix",
        "volumes.0.readOnly",
        "volumes.0.mode",
        "volumes.1",
        "geesefs",
        "geesefs.url",
        "geesefs.sha256",
        "geesefs.memoryLimitMb",
        "geesefs.statCacheTtlSeconds",
        "geesefs.cacheSizeMb",
        "geesefs.uid",
        "geesefs.gid",
        "geesefs.shareWith",
        "aptSource",
    ],
};
const COMPUTE = {
    base: () => ({
        provider: "aws",
        nodes: 2,
        image: "ami-0abc",
        region: "us-east-1",
        sshPublicKey: SSH_KEYS.public,
        sshPrivateKey: SSH_KEYS.private,
        volumes: [{ storage: { store: "s3", bucket: "datasets", endpoint: "https://s3.us-east-1.amazonaws.com" }, mount: "/data" }],
        geesefs: GEESEFS,
        setup: "echo setup",
        run: "echo run",
    }),
    paths: [
        "provider",
        "nodes",
        "instanceType",
        "image",
        "region",
        "zone",
        "sshPublicKey",
        "sshPrivateKey",
        "volumes",
        "volumes.0.mount",
        "volumes.0.storage",
        "volumes.0.storage.bucket",
        "volumes.0.readOnly",
        "volumes.0.mode",
        "workdir",
        "setup",
        "run",
        "geesefs",
        "geesefs.url",
        "aptSource",
        "ssh",
        "ssh.hosts",
        "aws",
        "aws.sshCidr",
        "gcp",
        "gcp.project",
        "azure",
        "azure.resourceGroupName",
    ],
};

/** Every line of a refusal after its title is `  - field: value: rule`. */
const ISSUE_LINE = /^ {2}- [^:\s][^:]*: .+: .+$/;

async function exercise(component: "SkyStorage" | "SkyVolume" | "SkyCompute", args: Record<string, unknown>, name: string) {
    const skymount = (await import("../../src")) as unknown as Record<string, new (n: string, a: unknown) => pulumi.ComponentResource>;
    const started = Date.now();
    let refusal: unknown;
    try {
        new skymount[component](name, args);
    } catch (error) {
        refusal = error;
    }
    const took = Date.now() - started;
    assert.ok(took < 30_000, `${component} took ${took} ms with ${JSON.stringify(args)}`);
    if (refusal === undefined) return "accepted";
    const message = refusal instanceof Error ? refusal.message : String(refusal);
    assert.ok(
        refusal instanceof pulumi.InputPropertiesError,
        `not an InputPropertiesError: ${String((refusal as Error)?.stack ?? refusal)}`,
    );
    const [title, ...lines] = message.split("\n");
    assert.equal(title, `Invalid ${component} arguments:`);
    assert.ok(lines.length > 0, "a refusal names at least one issue");
    for (const line of lines) assert.match(line, ISSUE_LINE, `in ${JSON.stringify(args)}`);
    // Registration is asynchronous: give it the turns it would take, then look for anything of this set.
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(
        registered.filter((r) => r.name === name || r.name.startsWith(`${name}-`)).map((r) => r.name),
        [],
        `registered before refusing ${JSON.stringify(args)}`,
    );
    return "refused";
}

describe(`fuzzed inputs (${RUNS} sets per component)`, () => {
    for (const [component, shape] of [
        ["SkyStorage", STORAGE],
        ["SkyVolume", VOLUME],
        ["SkyCompute", COMPUTE],
    ] as const) {
        it(`${component}: every set is accepted or refused as field: value: rule, registering nothing first`, async () => {
            const seen = { accepted: 0, refused: 0 };
            let run = 0;
            await fc.assert(
                fc.asyncProperty(changesOf(shape.paths), async (changes) => {
                    const outcome = await exercise(
                        component,
                        mutated(shape.base(), changes),
                        `fz${component.slice(3, 6).toLowerCase()}${run++}`,
                    );
                    seen[outcome]++;
                }),
                { numRuns: RUNS, seed: 20261207, includeErrorInReport: true },
            );
            // Both outcomes occur, or the generator tests nothing.
            assert.ok(seen.refused > RUNS / 10, `refused ${seen.refused} of ${RUNS}`);
            assert.ok(seen.accepted > 0, `accepted ${seen.accepted} of ${RUNS}`);
            await new Promise((r) => setTimeout(r, 200));
            assert.deepEqual(stray.map(String), [], "no promise was left rejected");
        });
    }
});
