// Peak memory of a server-side copy's update through `pulumi up`: a prefix of BENCH_COPY_OBJECTS
// objects (default 100,000) copied by SkyStorage (source `s3://<bucket>/set/`), then one source object
// changed and `up` again, sampled as bench:scale samples (every Node process below this one: the
// program and the dynamic provider). The update diffs the two records as streams
// (sync/core/recordDiff.ts) and copies the one object.
//   bash tools/with-toolchain.sh npx tsx bench/copyUpdate.ts   (the testbed up, `npm run build` done)
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createS3Client } from "../src/clients/s3Client";
import { runPool } from "../src/sync/pool/pool";
import { loadTestbedInfo } from "../tools/testbed/info";
import { removeBucket, timed } from "./support";
import { describePeak, withRssPeak } from "./support/processRss";

const OBJECTS = Number(process.env.BENCH_COPY_OBJECTS ?? 100_000);
const MiB = 2 ** 20;

async function main(): Promise<void> {
    const testbed = loadTestbedInfo();
    const suffix = Date.now().toString(36);
    const source = `bench-copyup-src-${suffix}`;
    const s3 = createS3Client({ ...testbed.s3, pathStyle: true });
    const put = (i: number, body: string) =>
        s3.send(new PutObjectCommand({ Bucket: source, Key: `set/d${i % 100}/o${i}.bin`, Body: body }));
    const backend = mkdtempSync(path.join(tmpdir(), "skymount-bench-copyup-"));
    // The e2e layouts program with skymount's dist by path (its provider requires dist/, as installed).
    const workDir = path.join(__dirname, "..", "test", "e2e", "programs", "layouts");
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "copyup", workDir },
        { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "bench" } },
    );
    try {
        await s3.send(new CreateBucketCommand({ Bucket: source }));
        const filled = await timed(() =>
            runPool(
                (function* () {
                    for (let i = 0; i < OBJECTS; i++) yield { label: String(i), run: async () => void (await put(i, `object ${i}\n`)) };
                })(),
                64,
            ),
        );
        console.log(`source filled: ${OBJECTS} objects in ${filled.seconds.toFixed(1)} s`);
        await stack.setAllConfig({
            skymount: { value: "../../../../dist" },
            bucket: { value: `bench-copyup-dst-${suffix}` },
            sources: { value: JSON.stringify([`s3://${source}/set/`]) },
            endpoint: { value: testbed.s3.endpoint },
            region: { value: testbed.s3.region },
            accessKey: { value: testbed.s3.accessKey },
            secretKey: { value: testbed.s3.secretKey, secret: true },
        });
        const created = await withRssPeak(() => timed(() => stack.up()));
        console.log(
            `copy of ${OBJECTS}: up ${created.value.seconds.toFixed(1)} s, peak RSS ${(created.peak.totalBytes / MiB).toFixed(0)} MiB (${describePeak(created.peak)})`,
        );
        await put(7, "object 7, changed\n");
        const updated = await withRssPeak(() => timed(() => stack.up()));
        const changes = updated.value.value.summary.resourceChanges ?? {};
        if (changes.update !== 1) throw new Error(`expected one update, got ${JSON.stringify(changes)}`);
        console.log(
            `copy update (1 of ${OBJECTS} changed): up ${updated.value.seconds.toFixed(1)} s, peak RSS ${(updated.peak.totalBytes / MiB).toFixed(0)} MiB, largest process ${(updated.peak.largestBytes / MiB).toFixed(0)} MiB (${describePeak(updated.peak)})`,
        );
    } finally {
        await stack.destroy().catch((err) => console.error(`destroy: ${(err as Error).message}`));
        await stack.workspace.removeStack("copyup").catch(() => undefined);
        rmSync(path.join(workDir, "Pulumi.copyup.yaml"), { force: true });
        s3.destroy();
        await removeBucket(testbed, source);
        rmSync(backend, { recursive: true, force: true });
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
