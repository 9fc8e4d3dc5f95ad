// Whether SSH key text can ever work, asked of ssh2's own parser (the one that will use it), so
// validation at preview and the dial at `up` give the same answer. ssh2 loads on the first call,
// not when skymount is imported (see clients/s3Sdk.ts).
import type { ParsedKey } from "ssh2";

function parseKey(text: string): ParsedKey | Error {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parsed = (require("ssh2") as typeof import("ssh2")).utils.parseKey(text);
    return Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
}

/** Why a private key cannot be used ("Unsupported key format", an encrypted key, a public key), or undefined. */
export function privateKeyProblem(text: string): string | undefined {
    const key = parseKey(text);
    if (key instanceof Error) return key.message;
    if (!key.isPrivateKey()) return "this is a public key; give the private key";
    return undefined;
}

export const HOST_KEY_FORM = '"<type> <base64>", a line of the host\'s /etc/ssh/ssh_host_*_key.pub';

/** Why a host key line cannot be checked against, or undefined. */
export function hostKeyProblem(line: string): string | undefined {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 2) return `must be ${HOST_KEY_FORM}`;
    const key = parseKey(`${fields[0]} ${fields[1]}`);
    if (key instanceof Error) return `must be ${HOST_KEY_FORM}: ${key.message}`;
    return undefined;
}

/** The key blob a host must present: the base64 field of a line that hostKeyProblem accepted. */
export function hostKeyBlob(line: string): Buffer {
    return Buffer.from(line.trim().split(/\s+/)[1], "base64");
}
