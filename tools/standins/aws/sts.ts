// MinIO's STS AssumeRole (https://min.io/docs/minio/linux/developers/security-token-service/AssumeRole.html):
// temporary credentials for a MinIO user, signed with the user's own keys (SigV4, service "sts"), that
// carry the user's policy. The metadata service of a stand-in EC2 instance (imds/) answers with them,
// so a request signed with an instance's role credentials is allowed or refused by the server as the
// role's generated policy says.
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { createHash } from "node:crypto";
import { request } from "node:http";

export interface StsCredentials {
    AccessKeyId: string;
    SecretAccessKey: string;
    SessionToken: string;
    /** ISO 8601, as STS gives it. */
    Expiration: string;
}

/** MinIO's shortest session (STS's too): 15 minutes. */
export const MIN_DURATION_SECONDS = 900;

export async function assumeRole(
    server: { endpoint: string; region: string },
    user: { accessKey: string; secretKey: string },
    durationSeconds: number,
): Promise<StsCredentials> {
    const endpoint = new URL(server.endpoint);
    const body = new URLSearchParams({
        Action: "AssumeRole",
        Version: "2011-06-15",
        DurationSeconds: String(Math.max(MIN_DURATION_SECONDS, Math.round(durationSeconds))),
    }).toString();
    const signer = new SignatureV4({
        service: "sts",
        region: server.region,
        credentials: { accessKeyId: user.accessKey, secretAccessKey: user.secretKey },
        sha256: Sha256,
    });
    const signed = await signer.sign({
        method: "POST",
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        port: Number(endpoint.port),
        path: "/",
        headers: {
            host: endpoint.host,
            "content-type": "application/x-www-form-urlencoded",
            "content-length": String(Buffer.byteLength(body)),
            "x-amz-content-sha256": createHash("sha256").update(body).digest("hex"),
        },
        body,
    });
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request({ method: "POST", host: endpoint.hostname, port: endpoint.port, path: "/", headers: signed.headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        });
        req.on("error", reject);
        req.end(body);
    });
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(answer.text)?.[1];
    const credentials = {
        AccessKeyId: field("AccessKeyId"),
        SecretAccessKey: field("SecretAccessKey"),
        SessionToken: field("SessionToken"),
        Expiration: field("Expiration"),
    };
    if (answer.status !== 200 || Object.values(credentials).some((v) => v === undefined))
        throw new Error(`MinIO STS AssumeRole: HTTP ${answer.status}: ${answer.text}`);
    return credentials as StsCredentials;
}
