// The instance metadata service of a stand-in EC2 instance (IMDSv2), started by ec2Instance.ts inside
// the instance's network namespace at 169.254.169.254:80 with the path of its configuration, which it
// reads at every request (an instance's new profile or metadata options apply at once):
// - PUT /latest/api/token with X-aws-ec2-metadata-token-ttl-seconds (1 to 21600) gives a session
//   token; a PUT that carries X-Forwarded-For is refused, as AWS refuses one that came through a proxy.
// - GETs under /latest/ need a live token when httpTokens is "required" (else 401), as the SDKs expect.
// - iam/security-credentials/<role> answers temporary credentials from MinIO's STS AssumeRole as the
//   role's MinIO user (iamRole.ts), so MinIO enforces the role's policy. They are served with an
//   Expiration SKYMOUNT_STANDIN_IMDS_TTL seconds (default 300) after they were issued, and replaced by
//   new ones from half that age on, so clients refresh (each refresh a new STS credential) long
//   before the STS session itself (at least 15 minutes) ends.
// With httpTokens "optional", GETs without a token are answered (IMDSv1). Not modelled: the hop limit
// (AWS sets it as the answers' IP TTL; every client here is one hop away, a container's included),
// IPv6, and the categories neither skymount nor the SDKs read.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { InstanceProfileRecord, readRecord, RoleRecord } from "./records";
import { assumeRole, StsCredentials } from "./sts";

export const IMDS_ADDRESS = "169.254.169.254";
export const IMDS_TTL_ENV = "SKYMOUNT_STANDIN_IMDS_TTL";
const MAX_TOKEN_TTL = 21_600;

/** What an instance's metadata service says about it (written by ec2Instance.ts). */
export interface MetadataConfig {
    instanceId: string;
    imageId: string;
    instanceType: string;
    region: string;
    availabilityZone: string;
    privateIp: string;
    publicIp: string;
    privateDns: string;
    publicDns: string;
    /** The instance profile's name; none: no role. */
    instanceProfile?: string;
    httpTokens: "required" | "optional";
    httpEndpoint: "enabled" | "disabled";
    /** The S3 server whose STS issues the role's credentials. */
    s3: { endpoint: string; region: string };
}

const ttlSeconds = () => Number(process.env[IMDS_TTL_ENV] ?? 300);
const tokens = new Map<string, number>();
const issued = new Map<string, { credentials: StsCredentials; at: number }>();

async function roleCredentials(config: MetadataConfig, role: string): Promise<{ credentials: StsCredentials; at: number }> {
    const current = issued.get(role);
    if (current && Date.now() - current.at < (ttlSeconds() * 1000) / 2) return current;
    const record = readRecord<RoleRecord>("roles", role);
    if (!record) throw new Error(`role ${role} is gone`);
    const credentials = await assumeRole(config.s3, { accessKey: record.minioUser, secretKey: record.minioSecret }, ttlSeconds() * 2);
    const fresh = { credentials, at: Date.now() };
    issued.set(role, fresh);
    console.log(`${new Date().toISOString()} imds: new credentials for role ${role}: ${credentials.AccessKeyId}`);
    return fresh;
}

/** The answer to GET /latest/<path>: its body, or undefined for 404. */
async function metadata(config: MetadataConfig, path: string): Promise<string | undefined> {
    const profile = config.instanceProfile ? readRecord<InstanceProfileRecord>("instance-profiles", config.instanceProfile) : undefined;
    const role = profile?.role;
    const identity = {
        accountId: "123456789012",
        architecture: "x86_64",
        availabilityZone: config.availabilityZone,
        imageId: config.imageId,
        instanceId: config.instanceId,
        instanceType: config.instanceType,
        privateIp: config.privateIp,
        region: config.region,
        version: "2017-09-30",
    };
    const answers: Record<string, string | undefined> = {
        "meta-data/":
            "ami-id\nhostname\niam/\ninstance-id\ninstance-type\nlocal-hostname\nlocal-ipv4\nplacement/\npublic-hostname\npublic-ipv4",
        "meta-data/ami-id": config.imageId,
        "meta-data/instance-id": config.instanceId,
        "meta-data/instance-type": config.instanceType,
        "meta-data/hostname": config.privateDns,
        "meta-data/local-hostname": config.privateDns,
        "meta-data/local-ipv4": config.privateIp,
        "meta-data/public-hostname": config.publicDns,
        "meta-data/public-ipv4": config.publicIp,
        "meta-data/placement/": "availability-zone\nregion",
        "meta-data/placement/availability-zone": config.availabilityZone,
        "meta-data/placement/region": config.region,
        "dynamic/instance-identity/document": JSON.stringify(identity, null, 2),
    };
    if (profile) {
        answers["meta-data/iam/"] = role ? "info\nsecurity-credentials/" : "info";
        answers["meta-data/iam/info"] = JSON.stringify({
            Code: "Success",
            LastUpdated: new Date().toISOString(),
            InstanceProfileArn: profile.arn,
            InstanceProfileId: profile.uniqueId,
        });
    }
    if (role) answers["meta-data/iam/security-credentials/"] = role;
    if (role && path === `meta-data/iam/security-credentials/${role}`) {
        const { credentials, at } = await roleCredentials(config, role);
        // One line per answer, so a test can tell that a client (geesefs) came back for new ones.
        console.log(`${new Date().toISOString()} imds: served credentials ${credentials.AccessKeyId} of role ${role}`);
        return JSON.stringify({
            Code: "Success",
            LastUpdated: new Date(at).toISOString(),
            Type: "AWS-HMAC",
            AccessKeyId: credentials.AccessKeyId,
            SecretAccessKey: credentials.SecretAccessKey,
            Token: credentials.SessionToken,
            Expiration: new Date(at + ttlSeconds() * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        });
    }
    return answers[path];
}

function answer(res: ServerResponse, status: number, body = "", headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "text/plain", ...headers });
    res.end(body);
}

async function serve(configFile: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const config = JSON.parse(readFileSync(configFile, "utf8")) as MetadataConfig;
    if (config.httpEndpoint === "disabled") return void req.socket.destroy();
    const url = new URL(req.url ?? "/", `http://${IMDS_ADDRESS}`);
    if (req.method === "PUT" && url.pathname === "/latest/api/token") {
        if (req.headers["x-forwarded-for"] !== undefined) return answer(res, 403, "Forbidden");
        const ttl = Number(req.headers["x-aws-ec2-metadata-token-ttl-seconds"]);
        if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL) return answer(res, 400, "Bad Request");
        const token = randomBytes(42).toString("base64");
        tokens.set(token, Date.now() + ttl * 1000);
        return answer(res, 200, token, { "x-aws-ec2-metadata-token-ttl-seconds": String(ttl) });
    }
    if (req.method !== "GET" && req.method !== "HEAD") return answer(res, 405, "Method Not Allowed");
    const token = req.headers["x-aws-ec2-metadata-token"];
    const expires = typeof token === "string" ? tokens.get(token) : undefined;
    const valid = expires !== undefined && expires > Date.now();
    if (token !== undefined && !valid) return answer(res, 401, "Unauthorized");
    if (config.httpTokens === "required" && !valid) return answer(res, 401, "Unauthorized");
    if (!url.pathname.startsWith("/latest/")) return answer(res, 404, "Not Found");
    const body = await metadata(config, url.pathname.slice("/latest/".length));
    if (body === undefined) return answer(res, 404, "Not Found");
    return answer(res, 200, body, url.pathname.endsWith("/document") || body.startsWith("{") ? { "content-type": "application/json" } : {});
}

if (require.main === module) {
    const configFile = process.argv[2];
    const server = createServer((req, res) => {
        serve(configFile, req, res).catch((err: Error) => {
            console.error(`${new Date().toISOString()} imds: ${req.method} ${req.url}: ${err.message}`);
            if (!res.headersSent) answer(res, 500, "Internal Server Error");
        });
    });
    server.listen(80, IMDS_ADDRESS, () => console.log(`${new Date().toISOString()} imds: listening on ${IMDS_ADDRESS}:80`));
}
