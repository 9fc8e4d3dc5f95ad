// The soak's bucket and its Pulumi stack (the real engine, on a throwaway file backend): SkyVolume
// with every soak volume on every writer host, up at the start and destroyed at the end.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { TestbedHost, TestbedInfo } from "../testbed/info";
import { bucketOf, SOAK_VOLUMES } from "./layout";

const PROGRAM_DIR = path.join(__dirname, "program");

export interface SoakStack {
    stack: Stack;
    /** Destroys the stack (unmounting every volume) and removes its backend and settings. */
    dispose(): Promise<void>;
}

export function s3ClientOf(testbed: TestbedInfo): S3Client {
    return new S3Client({
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        forcePathStyle: testbed.s3.pathStyle,
        credentials: { accessKeyId: testbed.s3.accessKey, secretAccessKey: testbed.s3.secretKey },
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
        // MinIO is stopped now and then: the audit's and the set-up's requests ride over a restart.
        maxAttempts: 10,
    });
}

export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Mounts every soak volume (of the buckets "<bucket>-<prefix>") on `hosts` with `pulumi up`. */
export async function upSoakStack(bucket: string, hosts: TestbedHost[]): Promise<SoakStack> {
    const backendDir = mkdtempSync(path.join(tmpdir(), "skymount-soak-"));
    // One stack per run (named after its bucket), so two soaks on two testbeds never share settings.
    const stackName = bucket;
    const settings = path.join(PROGRAM_DIR, `Pulumi.${stackName}.yaml`);
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName, workDir: PROGRAM_DIR },
        { envVars: { PULUMI_BACKEND_URL: `file://${backendDir}`, PULUMI_CONFIG_PASSPHRASE: "skymount-soak" } },
    );
    const dispose = async () => {
        await stack.destroy().catch(() => undefined);
        await stack.workspace.removeStack(stackName).catch(() => undefined);
        rmSync(backendDir, { recursive: true, force: true });
        rmSync(settings, { force: true });
    };
    try {
        await stack.setAllConfig({
            hosts: { value: JSON.stringify(hosts.map((h) => h.name)) },
            volumes: {
                value: JSON.stringify(
                    SOAK_VOLUMES.map((v) => ({ bucket: bucketOf(bucket, v), mount: v.dir, prefix: v.prefix, mode: v.mode })),
                ),
            },
        });
        const result = await stack.up();
        if (result.summary.result !== "succeeded") throw new Error(`pulumi up: ${result.summary.result}`);
    } catch (err) {
        await dispose();
        throw err;
    }
    return { stack, dispose };
}
