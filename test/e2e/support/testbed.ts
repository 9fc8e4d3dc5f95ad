// Helpers that end-to-end tests share: the testbed's description, an S3 client for its server, SSH
// to its hosts, and stacks on a throwaway local backend.
import { S3Client } from "@aws-sdk/client-s3";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadTestbedInfo, TestbedHost, TestbedInfo } from "../../../tools/testbed/info";
import { SshConnection } from "../../../src/remote";
import { execOverSsh } from "../../../src/remote/sshExec";

export { loadTestbedInfo, TestbedHost, TestbedInfo };

/** The testbed must be up: an end-to-end test that cannot reach it fails, it never skips. */
export function requireTestbed(): TestbedInfo {
    return loadTestbedInfo();
}

export function s3ClientFor(testbed: TestbedInfo): S3Client {
    return new S3Client({
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        forcePathStyle: testbed.s3.pathStyle,
        credentials: { accessKeyId: testbed.s3.accessKey, secretAccessKey: testbed.s3.secretKey },
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
    });
}

export function connectionTo(host: TestbedHost): SshConnection {
    return {
        host: host.address,
        port: host.port,
        user: host.user,
        privateKey: readFileSync(host.privateKeyPath, "utf8"),
        hostKey: host.hostPublicKey,
        dialTimeoutSeconds: 10,
    };
}

/** Runs a shell command on a test host; returns stdout, or throws with the exit code and stderr. */
export async function onHost(host: TestbedHost, command: string): Promise<string> {
    const result = await execOverSsh(connectionTo(host), command);
    if (result.exitCode !== 0) throw new Error(`${host.name}: \`${command}\` exited with ${result.exitCode}: ${result.stderr}`);
    return result.stdout;
}

export function uniqueName(prefix: string): string {
    return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export const programsDir = path.join(__dirname, "..", "programs");

/** A stack of one of test/e2e/programs, on a fresh file backend that only this test uses. */
export async function stackFor(program: string, config: Record<string, string>): Promise<{ stack: Stack; backendDir: string }> {
    const backendDir = mkdtempSync(path.join(tmpdir(), `skymount-${program}-`));
    // A stack's config lives in the program's folder (Pulumi.e2e.yaml), not in its backend: without
    // this, a second stack of the same program started with the config the first one was given.
    rmSync(path.join(programsDir, program, "Pulumi.e2e.yaml"), { force: true });
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "e2e", workDir: path.join(programsDir, program) },
        {
            envVars: {
                PULUMI_BACKEND_URL: `file://${backendDir}`,
                PULUMI_CONFIG_PASSPHRASE: "skymount-e2e",
            },
        },
    );
    await stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: v }])));
    return { stack, backendDir };
}

/** Retries `probe` until it stops throwing: for what other hosts see after a stat-cache window. */
export async function eventually<T>(what: string, probe: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            return await probe();
        } catch (err) {
            if (Date.now() > deadline) throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
            await new Promise((r) => setTimeout(r, 250));
        }
    }
}

/** Every file under `dir`, concatenated: to search a file backend's state for plaintext secrets. */
export function readTree(dir: string): string {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), "utf8"))
        .join("\n");
}
