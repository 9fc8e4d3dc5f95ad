// An AWS stand-in instance's role as a program on it sees it: IMDSv2 on the host (a token first, then
// the role's name and its credentials, which MinIO's STS issued with the role's generated policy as the
// session policy), an S3 client signing with those credentials at the testbed's MinIO, and the
// credentials the host's metadata service served so far (its log, tools/standins/aws/imdsServer.ts).
import { S3Client } from "@aws-sdk/client-s3";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { CloudHost } from "../../../tools/testbed/cloudHosts";
import { onHost, TestbedHost, TestbedInfo } from "./testbed";

export const IMDS = "http://169.254.169.254/latest";

/** `what` under the host's metadata service, asked with an IMDSv2 token fetched on the host. */
export async function imdsGet(host: TestbedHost, what: string): Promise<string> {
    const token = `$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' ${IMDS}/api/token)`;
    return onHost(host, `T=${token}; curl -sf -H "X-aws-ec2-metadata-token: $T" ${IMDS}/${what}`);
}

/** The role's name and an S3 client with the credentials the host's metadata service serves for it. */
export async function roleClient(host: TestbedHost, testbed: TestbedInfo): Promise<{ role: string; client: S3Client }> {
    const role = (await imdsGet(host, "meta-data/iam/security-credentials/")).trim();
    const credentials = JSON.parse(await imdsGet(host, `meta-data/iam/security-credentials/${role}`)) as Record<string, string>;
    if (credentials.Code !== "Success") throw new Error(`IMDS answered ${JSON.stringify(credentials.Code)} for ${role}`);
    const client = new S3Client({
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        forcePathStyle: true,
        maxAttempts: 1,
        credentials: {
            accessKeyId: credentials.AccessKeyId,
            secretAccessKey: credentials.SecretAccessKey,
            sessionToken: credentials.Token,
        },
    });
    return { role, client };
}

/** "allowed", or the name of the error the server answered with ("AccessDenied"). */
export async function outcome(request: Promise<unknown>): Promise<string> {
    return request.then(
        () => "allowed",
        (err: Error) => err.name,
    );
}

/** The access key ids the host's metadata service served, in order (one log line each). */
export function servedKeys(host: CloudHost): string[] {
    return readFileSync(path.join(host.dir, "imds.log"), "utf8")
        .split("\n")
        .map((line) => /served credentials (\S+)/.exec(line)?.[1])
        .filter((key): key is string => key !== undefined);
}
