// What a cloud example must show on its machines once `up` has run, checked over SSH as its user
// would: the dataset's files at /data, a write there refused by the kernel (EROFS), a write to
// /checkpoints seen from the other machine, the task's output, and on AWS the same write into the
// dataset bucket with the instance role's own credentials refused by S3 itself (AccessDenied). The
// same checks run against the AWS stand-in in test/e2e/exampleAws.test.ts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Cloud } from "./accounts";

export interface Machine {
    address: string;
    user: string;
    keyFile: string;
}

function ssh(machine: Machine, script: string): { ok: boolean; out: string } {
    try {
        const out = execFileSync(
            "ssh",
            [
                "-i",
                machine.keyFile,
                "-o",
                "BatchMode=yes",
                // The run's own fresh machines: skymount pins their host keys; this checker only reads.
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "ConnectTimeout=20",
                `${machine.user}@${machine.address}`,
                script,
            ],
            { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
        );
        return { ok: true, out };
    } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        return { ok: false, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

async function eventually(what: string, seconds: number, probe: () => boolean): Promise<void> {
    const deadline = Date.now() + seconds * 1000;
    while (!probe()) {
        if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s`);
        await new Promise((r) => setTimeout(r, 3000));
    }
}

/** The instance role's credentials from IMDSv2, then a signed PUT into the dataset bucket: prints S3's answer, then its HTTP status. */
function roleWriteScript(bucket: string, region: string, key: string): string {
    return `set -e
T=$(curl -sf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
M=http://169.254.169.254/latest/meta-data/iam/security-credentials
ROLE=$(curl -sf -H "X-aws-ec2-metadata-token: $T" $M/)
C=$(curl -sf -H "X-aws-ec2-metadata-token: $T" $M/$ROLE)
field() { printf '%s' "$C" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
curl -s -w '\\n%{http_code}' -X PUT --data-binary probe \\
  --aws-sigv4 'aws:amz:${region}:s3' --user "$(field AccessKeyId):$(field SecretAccessKey)" \\
  -H "x-amz-security-token: $(field Token)" 'https://${bucket}.s3.${region}.amazonaws.com/${key}'`;
}

export interface ExampleExpectations {
    cloud: Cloud;
    runId: string;
    /** Names of the files of the example's data/ directory, which /data must show. */
    dataFiles: string[];
    /** The file the example's `run` writes under /checkpoints. */
    runOutput: string;
    /** AWS only: the dataset bucket and region, for the role's refused write. */
    awsDataset?: { bucket: string; region: string; prefix: string };
}

export async function checkMachines(machines: Machine[], expect: ExampleExpectations, log: (line: string) => void): Promise<void> {
    assert.equal(machines.length, 2, "the examples declare two machines");
    const probe = `skymount-probe-${expect.runId}`;
    for (const machine of machines) {
        const listing = ssh(machine, "ls -A /data");
        assert.ok(listing.ok, `${machine.address}: ls /data: ${listing.out}`);
        for (const file of expect.dataFiles)
            assert.ok(listing.out.split("\n").includes(file), `${machine.address}: /data lacks ${file}: ${listing.out}`);
        const refused = ssh(machine, `touch /data/${probe}`);
        assert.ok(
            !refused.ok && /Read-only file system/.test(refused.out),
            `${machine.address}: a write to /data was not refused with EROFS: ${refused.out}`,
        );
        log(`${expect.cloud}: ${machine.address}: /data holds the dataset; a write there is refused (EROFS)`);
    }
    const [first, second] = machines;
    const wrote = ssh(first, `echo ${expect.runId} > /checkpoints/${probe} && sync /checkpoints/${probe}`);
    assert.ok(wrote.ok, `${first.address}: write to /checkpoints: ${wrote.out}`);
    await eventually(
        `${second.address} sees ${first.address}'s checkpoint`,
        120,
        () => ssh(second, `cat /checkpoints/${probe}`).out.trim() === expect.runId,
    );
    await eventually(`the task's ${expect.runOutput}`, 300, () => ssh(first, `test -s /checkpoints/${expect.runOutput}`).ok);
    log(`${expect.cloud}: /checkpoints is shared by both machines, and the task wrote ${expect.runOutput}`);
    if (expect.awsDataset) {
        const { bucket, region, prefix } = expect.awsDataset;
        const answer = ssh(first, roleWriteScript(bucket, region, `${prefix}/${probe}`)).out.trim();
        const refusal = `${/\d{3}$/.exec(answer)?.[0]} ${/<Code>([^<]+)<\/Code>/.exec(answer)?.[1]}`;
        assert.equal(refusal, "403 AccessDenied", `the instance role's PUT into s3://${bucket}/${prefix}/ answered ${answer}`);
        log(`${expect.cloud}: the instance role's own PUT into the dataset is refused by S3 (403 AccessDenied)`);
    }
}
