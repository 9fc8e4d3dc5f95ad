// Azure Storage SharedKey authorization: an HMAC-SHA256, keyed with the account key, over a
// canonical form of the request (learn.microsoft.com: "Authorize with Shared Key", version
// 2015-02-21 and later). Pure: the same request always gives the same signature.
import { createHmac } from "node:crypto";

export interface SignableRequest {
    method: string;
    url: URL;
    /** Header names in lower case. */
    headers: Record<string, string>;
}

/** The standard headers, in the order the string to sign lists them. */
const SIGNED_STANDARD_HEADERS = [
    "content-encoding",
    "content-language",
    "content-length",
    "content-md5",
    "content-type",
    "date",
    "if-modified-since",
    "if-match",
    "if-none-match",
    "if-unmodified-since",
    "range",
];

function canonicalizedHeaders(headers: Record<string, string>): string {
    return Object.keys(headers)
        .map((name) => name.toLowerCase())
        .filter((name) => name.startsWith("x-ms-"))
        .sort()
        .map((name) => `${name}:${headers[name].trim().replace(/\s+/g, " ")}\n`)
        .join("");
}

/** `/<account><encoded path>` then one `\n<name>:<values>` per query parameter, names lower-cased
 *  and sorted, values decoded, sorted and comma-joined. */
function canonicalizedResource(account: string, url: URL): string {
    const params = new Map<string, string[]>();
    for (const [name, value] of url.searchParams) {
        const key = name.toLowerCase();
        params.set(key, [...(params.get(key) ?? []), value]);
    }
    const query = [...params.keys()].sort().map((name) => `\n${name}:${params.get(name)!.sort().join(",")}`);
    return `/${account}${url.pathname || "/"}${query.join("")}`;
}

export function stringToSign(account: string, request: SignableRequest): string {
    const standard = SIGNED_STANDARD_HEADERS.map((name) => {
        const value = request.headers[name] ?? "";
        // A zero Content-Length is signed as an empty string.
        return name === "content-length" && value === "0" ? "" : value;
    });
    return (
        [request.method.toUpperCase(), ...standard].join("\n") +
        "\n" +
        canonicalizedHeaders(request.headers) +
        canonicalizedResource(account, request.url)
    );
}

/** The Authorization header's value: `SharedKey <account>:<signature>`. */
export function sharedKeyAuthorization(account: string, base64Key: string, request: SignableRequest): string {
    const signature = createHmac("sha256", Buffer.from(base64Key, "base64"))
        .update(stringToSign(account, request), "utf8")
        .digest("base64");
    return `SharedKey ${account}:${signature}`;
}
