// The engine as a test host sees the clouds: a `pulumi` that runs under tools/testbed/with-cloud-names.sh,
// so the CLI, the program, skymount's plugin and the stand-ins resolve s3.<region>.amazonaws.com and
// the rest through the testbed's DNS server and trust its CA, with no endpoint override, while this
// machine's own resolv.conf stays as it is. Also the TLS front's log: which names clients reached.
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { quote } from "../../../src/hostScripts/shell";
import { instance, repoRoot, TestbedHost, TestbedInfo } from "../../../tools/testbed/info";
import { onHost } from "./testbed";

const WRAPPER = path.join(repoRoot, "tools", "testbed", "with-cloud-names.sh");

/** A Pulumi CLI (under `dir`/bin) that runs the one on PATH with the testbed's names and CA. */
export async function pulumiWithCloudNames(dir: string): Promise<PulumiCommand> {
    const pulumi = execFileSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" }).trim();
    mkdirSync(path.join(dir, "bin"), { recursive: true });
    const testbed = instance.name ? `SKYMOUNT_TESTBED=${quote(instance.name)} ` : "";
    writeFileSync(path.join(dir, "bin", "pulumi"), `#!/bin/sh\n${testbed}exec ${quote(WRAPPER)} ${quote(pulumi)} "$@"\n`, {
        mode: 0o755,
    });
    return PulumiCommand.get({ root: dir });
}

/** The server names clients reached through the TLS front so far, one per connection. */
export function namesReached(testbed: TestbedInfo): string[] {
    const log = path.join(path.dirname(testbed.cloudNames.ca), "tls-front.log");
    if (!existsSync(log)) return [];
    return readFileSync(log, "utf8")
        .split("\n")
        .map((line) => /^tls front: (\S+) -> /.exec(line)?.[1])
        .filter((name): name is string => name !== undefined);
}

/**
 * A PUT to `url` signed on `host` (curl's SigV4) with the S3 key of the one volume mounted there, read
 * from its credentials file on the host: so the key never leaves the host nor lands on a command line.
 * Returns "key <access key id>" and the server's answer with " HTTP <status>".
 */
export async function putFromHost(host: TestbedHost, url: string, region: string): Promise<string> {
    const body = "written on the host\n";
    return onHost(
        host,
        `f=$(grep -l aws_access_key_id /etc/skymount/credentials/*); ak=$(sed -n 's/^aws_access_key_id = //p' "$f")
sk=$(sed -n 's/^aws_secret_access_key = //p' "$f"); h=$(printf ${quote(body)} | sha256sum | cut -d' ' -f1); echo "key $ak"
printf 'user = "%s:%s"\\n' "$ak" "$sk" | curl -sS -K - --aws-sigv4 ${quote(`aws:amz:${region}:s3`)} -H "x-amz-content-sha256: $h" \\
  -X PUT --data-binary ${quote(body)} -w ' HTTP %{http_code}' ${quote(url)}`,
    );
}
