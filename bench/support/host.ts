// Commands on a test host for the mount benchmarks, and the direct-SDK client they run there. A host
// sees this machine's root through its overlay, but not this machine's /tmp (its own is a tmpfs): a
// checkout under /tmp is invisible to it. So the client goes to the host as one JavaScript file
// (bench/hostClient.ts bundled with its dependencies) and runs from the host's own /var/tmp.
import { buildSync } from "esbuild";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { TestbedHost, TestbedInfo } from "../../tools/testbed/info";
import { execOverSsh } from "../../src/remote/sshExec";
import { rcloneEnv } from "../support";

/** The benchmark's own directory on a host: the client, its inputs, its mount points. */
export const HOST_BENCH_DIR = "/var/tmp/skymount-bench";
export const HOST_CLIENT = `${HOST_BENCH_DIR}/hostClient.cjs`;

export async function sh(host: TestbedHost, command: string, stdin?: string): Promise<string> {
    const result = await execOverSsh(
        { host: host.address, port: host.port, user: host.user, privateKey: readFileSync(host.privateKeyPath, "utf8") },
        command,
        stdin,
    );
    if (result.exitCode !== 0) throw new Error(`${host.name}: ${command}: ${result.stderr}`);
    return result.stdout;
}

/** Seconds a shell snippet takes on the host. */
export async function hostSeconds(host: TestbedHost, snippet: string): Promise<number> {
    const ms = await sh(host, `s=$(date +%s%N); ${snippet}; echo $(( ($(date +%s%N) - s) / 1000000 ))`);
    return Number(ms.trim().split("\n").pop()) / 1000;
}

/** Bundles bench/hostClient.ts (with the AWS SDK) into one file and writes it on the host. */
export async function installHostClient(host: TestbedHost): Promise<void> {
    const bundle = buildSync({
        entryPoints: [path.join(__dirname, "..", "hostClient.ts")],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        write: false,
        logLevel: "error",
    });
    await sh(host, `mkdir -p ${HOST_BENCH_DIR} && cat > ${HOST_CLIENT}`, bundle.outputFiles[0].text);
}

/** The store's address and keys, as the host client takes them. */
export function storeOf(testbed: TestbedInfo): object {
    return { endpoint: testbed.s3.endpoint, region: testbed.s3.region, accessKey: testbed.s3.accessKey, secretKey: testbed.s3.secretKey };
}

/** Runs one request of the host client (installHostClient first) and returns the seconds it printed. */
export async function sdkSeconds(host: TestbedHost, testbed: TestbedInfo, request: object): Promise<number> {
    return Number((await sh(host, `node ${HOST_CLIENT}`, JSON.stringify({ ...storeOf(testbed), ...request }))).trim());
}

/** Shell for rclone on a host, against the testbed's MinIO (the remote "bench:", configured through
 *  the environment). rclone is Debian's, which the host sees through its overlay of this machine's root. */
export function rcloneOnHost(testbed: TestbedInfo, args: string): string {
    return `env ${Object.entries(rcloneEnv(testbed))
        .map(([k, v]) => `${k}='${v}'`)
        .join(" ")} rclone ${args}`;
}
