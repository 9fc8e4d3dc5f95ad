// What the mount benchmark's sections share: the mount program's stacks (programs/mount, on a local
// backend), the engine's --parallel, and an S3 client on the testbed's MinIO.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import * as path from "node:path";
import { TestbedInfo } from "../../tools/testbed/info";
import { createS3Client } from "../../src/clients/s3Client";

/** The engine's --parallel for `up` (BENCH_PARALLEL; the engine's default when unset). */
export const PARALLEL = process.env.BENCH_PARALLEL ? Number(process.env.BENCH_PARALLEL) : undefined;

export function stackOf(name: string, backend: string) {
    return LocalWorkspace.createOrSelectStack(
        { stackName: name, workDir: path.join(__dirname, "..", "programs", "mount") },
        { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "bench" } },
    );
}

export function s3Of(testbed: TestbedInfo) {
    return createS3Client({
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        pathStyle: true,
        accessKey: testbed.s3.accessKey,
        secretKey: testbed.s3.secretKey,
    });
}

/** A no-op `up` left every resource "same": the engine called no create, update or delete, so no
 *  remote command ran. (Not a count of resources: what a volume declares per host may change.) */
export function assertNoChange(changes: Record<string, number> | undefined): void {
    const kinds = Object.keys(changes ?? {});
    if (kinds.length !== 1 || kinds[0] !== "same") throw new Error(`no-op up changed something: ${JSON.stringify(changes)}`);
}
