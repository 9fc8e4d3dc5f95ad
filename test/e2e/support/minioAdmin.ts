// A second (and third) key pair on the testbed's MinIO, for credential rotation: MinIO users made
// through its admin API (/minio/admin/v3), as `mc admin user add` would, with no client installed.
// The API takes the new user's secret encrypted with the caller's secret (madmin-go's EncryptData):
// salt(32) | algorithm id | nonce(8) | the data sealed with sio-go's stream format. Of madmin's three
// algorithms this uses PBKDF2-SHA256 (8192 rounds) + AES-256-GCM (id 2), the one that needs no
// Argon2; sio-go seals a stream shorter than its 16 KiB buffer as one final fragment whose nonce is
// nonce | seq 1 and whose associated data is 0x80 | the tag of an empty message under nonce | seq 0.
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { createCipheriv, createHash, pbkdf2Sync, randomBytes } from "node:crypto";
import { request } from "node:http";
import type { TestbedInfo } from "./testbed";

function seal(key: Buffer, nonce: Buffer, seq: number, data: Buffer, associated: Buffer): Buffer {
    const iv = Buffer.concat([nonce, Buffer.alloc(4)]);
    iv.writeUInt32LE(seq, nonce.length);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(associated);
    return Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
}

/** madmin-go's EncryptData(password, data), PBKDF2 + AES-GCM variant. */
export function madminEncrypt(password: string, data: Buffer): Buffer {
    const salt = randomBytes(32);
    const key = pbkdf2Sync(password, salt, 8192, 32, "sha256");
    const nonce = randomBytes(8);
    const headerTag = seal(key, nonce, 0, Buffer.alloc(0), Buffer.alloc(0));
    const body = seal(key, nonce, 1, data, Buffer.concat([Buffer.from([0x80]), headerTag]));
    return Buffer.concat([salt, Buffer.from([0x02]), nonce, body]);
}

async function admin(testbed: TestbedInfo, method: string, path: string, query: Record<string, string>, body: Buffer = Buffer.alloc(0)) {
    const endpoint = new URL(testbed.s3.endpoint);
    const signer = new SignatureV4({
        service: "s3",
        region: testbed.s3.region,
        credentials: { accessKeyId: testbed.s3.accessKey, secretAccessKey: testbed.s3.secretKey },
        sha256: Sha256,
    });
    const payloadHash = createHash("sha256").update(body).digest("hex");
    const signed = await signer.sign({
        method,
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        port: Number(endpoint.port),
        path: `/minio/admin/v3/${path}`,
        query,
        headers: { host: endpoint.host, "x-amz-content-sha256": payloadHash, "content-length": String(body.length) },
        body,
    });
    const search = new URLSearchParams(query).toString();
    return new Promise<void>((resolve, reject) => {
        const req = request(
            { method, host: endpoint.hostname, port: endpoint.port, path: `${signed.path}?${search}`, headers: signed.headers },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c) => chunks.push(c));
                res.on("end", () =>
                    res.statusCode === 200
                        ? resolve()
                        : reject(new Error(`MinIO admin ${path}: HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString()}`)),
                );
            },
        );
        req.on("error", reject);
        req.end(body);
    });
}

/** A MinIO user with the built-in readwrite policy: a key pair of its own. */
export async function addMinioUser(testbed: TestbedInfo, accessKey: string, secretKey: string): Promise<void> {
    const payload = Buffer.from(JSON.stringify({ secretKey, status: "enabled" }));
    await admin(testbed, "PUT", "add-user", { accessKey }, madminEncrypt(testbed.s3.secretKey, payload));
    await admin(testbed, "PUT", "set-user-or-group-policy", { policyName: "readwrite", userOrGroup: accessKey, isGroup: "false" });
}

export async function removeMinioUser(testbed: TestbedInfo, accessKey: string): Promise<void> {
    await admin(testbed, "DELETE", "remove-user", { accessKey });
}
