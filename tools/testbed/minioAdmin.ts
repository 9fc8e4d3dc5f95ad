// MinIO's admin API (/minio/admin/v3), as `mc admin` calls it, with no client installed: requests
// signed with the root keys, and the bodies that carry secrets encrypted with the root secret
// (madmin-go's EncryptData): salt(32) | algorithm id | nonce(8) | the data sealed with sio-go's
// stream format. Of madmin's three algorithms this uses PBKDF2-SHA256 (8192 rounds) + AES-256-GCM
// (id 2), the one that needs no Argon2; sio-go seals a stream shorter than its 16 KiB buffer as one
// final fragment whose nonce is nonce | seq 1 and whose associated data is 0x80 | the tag of an
// empty message under nonce | seq 0. Used by tests (rotation) and by the AWS stand-in (IAM keys).
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { createCipheriv, createHash, pbkdf2Sync, randomBytes } from "node:crypto";
import { request } from "node:http";

/** The server and its root keys. */
export interface MinioRoot {
    endpoint: string;
    region: string;
    accessKey: string;
    secretKey: string;
}

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

/** One admin call: the answer's body; rejects with MinIO's answer unless it is a success (200, or 204 for some deletes). */
export async function minioAdmin(
    root: MinioRoot,
    method: string,
    path: string,
    query: Record<string, string>,
    body: Buffer = Buffer.alloc(0),
): Promise<Buffer> {
    const endpoint = new URL(root.endpoint);
    const signer = new SignatureV4({
        service: "s3",
        region: root.region,
        credentials: { accessKeyId: root.accessKey, secretAccessKey: root.secretKey },
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
    return new Promise<Buffer>((resolve, reject) => {
        const req = request(
            { method, host: endpoint.hostname, port: endpoint.port, path: `${signed.path}?${search}`, headers: signed.headers },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c) => chunks.push(c));
                res.on("end", () =>
                    res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300
                        ? resolve(Buffer.concat(chunks))
                        : reject(new Error(`MinIO admin ${path}: HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString()}`)),
                );
            },
        );
        req.on("error", reject);
        req.end(body);
    });
}
