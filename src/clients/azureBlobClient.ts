// A small Azure Blob service client: the few REST calls skymount makes (containers, listing, block
// blob uploads, server-side copies inside the account, deletes), signed with the storage account's shared key. Requests go through
// node:http(s) so request bodies stream from disk with an exact Content-Length.
//
// The endpoint is used as given: production-style (https://<account>.blob.core.windows.net), or
// path-style for an emulator at an IP address (http://127.0.0.1:10000/<account>); either way the
// signed resource is /<account><request path>, as Azure's own SDKs sign it.
//
// Why not @azure/storage-blob: skymount needs these few calls and a signer of about 60 lines
// (azureSharedKey.ts), and the SDK would add a large dependency tree to every program. Tested against Azurite, which verifies signatures.
import * as http from "node:http";
import * as https from "node:https";
import { Readable } from "node:stream";
import { blobErrorCode, ListedBlob, parseBlobListPage } from "./azureBlobXml";
import { sharedKeyAuthorization } from "./azureSharedKey";
import { isConnectionFailure, NOT_RETRYABLE, retryableStatus, verdictOfStatus, withRetries } from "../internal/retry";

/** The REST API version skymount speaks; every Azure Storage account and Azurite accept it. */
export const BLOB_API_VERSION = "2021-12-02";

export interface BlobAccount {
    /** The blob service endpoint without a trailing slash. */
    endpoint: string;
    /** The storage account name. */
    account: string;
    /** The account key, base64. */
    key: string;
}

export interface BlobResponse {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
    /** The body as received, for binary content. */
    bytes: Buffer;
}

/** A request body that can be produced again for a retry. */
export type BlobBody = { length: number; open: () => Readable | Buffer };

export class BlobError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        /** The answer's Retry-After, for a throttled request. */
        readonly retryAfter?: string,
    ) {
        super(message);
    }
}

/** Each path segment URL-encoded; "/" inside a blob name kept (it is the virtual directory separator). */
export function blobPath(container: string, blob?: string): string {
    const encoded = [container, ...(blob === undefined ? [] : blob.split("/"))].map(encodeURIComponent).join("/");
    return `/${encoded}`;
}

function errorCode(response: BlobResponse): string {
    return String(response.headers["x-ms-error-code"] ?? blobErrorCode(response.body));
}

function blobErrorOf(method: string, url: URL, response: BlobResponse): BlobError {
    const code = errorCode(response);
    const retryAfter = response.headers["retry-after"];
    return new BlobError(response.status, code, `${method} ${url.pathname}: ${response.status} ${code}`.trim(), retryAfter);
}

export class BlobClient {
    private readonly base: URL;
    private readonly agent: http.Agent;

    constructor(private readonly target: BlobAccount) {
        this.base = new URL(target.endpoint.replace(/\/+$/, ""));
        const Agent = this.base.protocol === "https:" ? https.Agent : http.Agent;
        this.agent = new Agent({ keepAlive: true, maxSockets: 64 });
    }

    /** Closes idle keep-alive connections, so the process can exit. */
    destroy(): void {
        this.agent.destroy();
    }

    private url(path: string, query: Record<string, string>): URL {
        const url = new URL(this.base.toString());
        url.pathname = `${this.base.pathname.replace(/\/+$/, "")}${path}`;
        for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
        return url;
    }

    private once(method: string, url: URL, extraHeaders: Record<string, string>, body?: BlobBody): Promise<BlobResponse> {
        const headers: Record<string, string> = {
            "x-ms-date": new Date().toUTCString(),
            "x-ms-version": BLOB_API_VERSION,
            "content-length": String(body?.length ?? 0),
            ...extraHeaders,
        };
        headers.authorization = sharedKeyAuthorization(this.target.account, this.target.key, { method, url, headers });
        const send = url.protocol === "https:" ? https.request : http.request;
        return new Promise((resolve, reject) => {
            const request = send(url, { method, headers, agent: this.agent }, (response) => {
                const chunks: Buffer[] = [];
                response.on("data", (chunk: Buffer) => chunks.push(chunk));
                response.on("end", () => {
                    const bytes = Buffer.concat(chunks);
                    resolve({ status: response.statusCode ?? 0, headers: response.headers, body: bytes.toString("utf8"), bytes });
                });
                response.on("error", reject);
            });
            request.on("error", reject);
            const content = body?.open();
            if (content === undefined) request.end();
            else if (Buffer.isBuffer(content)) request.end(content);
            else {
                content.on("error", (err) => request.destroy(err));
                content.pipe(request);
            }
        });
    }

    /**
     * One REST call, retried with backoff on throttling (503 ServerBusy, 429), 5xx and dropped
     * connections (internal/retry.ts); a status outside `ok` throws a BlobError, and a call that kept
     * failing a RetriesExhaustedError whose cause is the last failure.
     */
    async request(
        method: string,
        path: string,
        query: Record<string, string>,
        ok: number[],
        headers: Record<string, string> = {},
        body?: BlobBody,
    ): Promise<BlobResponse> {
        const url = this.url(path, query);
        // Transient answers are thrown as BlobErrors so the retry sees them; `ok` answers and final ones come back.
        const response = await withRetries(
            `${method} ${url.pathname}`,
            async () => {
                const answer = await this.once(method, url, headers, body);
                if (!ok.includes(answer.status) && retryableStatus(answer.status)) throw blobErrorOf(method, url, answer);
                return answer;
            },
            (err) => {
                if (err instanceof BlobError) return verdictOfStatus(err.status, err.retryAfter);
                return isConnectionFailure(err) ? { retry: true, throttled: true } : NOT_RETRYABLE;
            },
        );
        if (ok.includes(response.status)) return response;
        throw blobErrorOf(method, url, response);
    }

    /** Whether the container exists; a container these keys cannot read is an error, not "absent". */
    async containerExists(container: string): Promise<boolean> {
        const response = await this.request("HEAD", blobPath(container), { restype: "container" }, [200, 404, 403]);
        if (response.status === 403) {
            throw new BlobError(
                403,
                "AuthorizationFailure",
                `container "${container}": these credentials are refused (account name or key wrong?)`,
            );
        }
        return response.status === 200;
    }

    async createContainer(container: string): Promise<void> {
        await this.request("PUT", blobPath(container), { restype: "container" }, [201]);
    }

    /** Deletes the container with every blob in it; an absent one is not an error. */
    async deleteContainer(container: string): Promise<void> {
        await this.request("DELETE", blobPath(container), { restype: "container" }, [202, 404]);
    }

    /** Every blob (flat listing, page by page) under a prefix, with its size and ETag (unquoted, as listings give it). */
    async listBlobDetails(container: string, prefix?: string): Promise<ListedBlob[]> {
        const all: ListedBlob[] = [];
        for (let marker: string | undefined; ;) {
            const query: Record<string, string> = { restype: "container", comp: "list" };
            if (prefix) query.prefix = prefix;
            if (marker) query.marker = marker;
            const page = parseBlobListPage((await this.request("GET", blobPath(container), query, [200])).body);
            all.push(...page.blobs);
            if (!page.nextMarker) return all;
            marker = page.nextMarker;
        }
    }

    /** Every blob name in the container (or under a prefix). */
    async listAllBlobs(container: string, prefix?: string): Promise<string[]> {
        return (await this.listBlobDetails(container, prefix)).map((blob) => blob.name);
    }

    /**
     * Copy Blob from another blob of the same account, which the request's shared key authorizes.
     * `sourceEtag` pins the version listed: a changed source fails with 412. Azure copies small
     * blobs at once and larger ones in the background: the copy is polled until it ends.
     */
    async copyBlob(
        container: string,
        blob: string,
        source: { container: string; blob: string; etag: string },
        pollMs = 500,
    ): Promise<void> {
        const response = await this.request("PUT", blobPath(container, blob), {}, [202], {
            // The source as a URL of this account.
            "x-ms-copy-source": this.url(blobPath(source.container, source.blob), {}).toString(),
            "x-ms-source-if-match": `"${source.etag}"`,
        });
        let status = String(response.headers["x-ms-copy-status"] ?? "success");
        let description = "";
        while (status === "pending") {
            await new Promise((r) => setTimeout(r, pollMs));
            const properties = await this.request("HEAD", blobPath(container, blob), {}, [200]);
            status = String(properties.headers["x-ms-copy-status"] ?? "success");
            description = String(properties.headers["x-ms-copy-status-description"] ?? "");
        }
        if (status !== "success")
            throw new BlobError(
                500,
                `Copy${status}`,
                `copy of ${source.container}/${source.blob} to ${container}/${blob}: ${status}${description ? ` (${description})` : ""}`,
            );
    }

    /** A whole block blob in one request. */
    async putBlob(container: string, blob: string, body: BlobBody): Promise<void> {
        await this.request(
            "PUT",
            blobPath(container, blob),
            {},
            [201],
            { "x-ms-blob-type": "BlockBlob", "content-type": "application/octet-stream" },
            body,
        );
    }

    /** One uncommitted block of a blob; ids must be base64 and of equal length within a blob. */
    async putBlock(container: string, blob: string, blockId: string, body: BlobBody): Promise<void> {
        await this.request("PUT", blobPath(container, blob), { comp: "block", blockid: blockId }, [201], {}, body);
    }

    /** Commits the listed blocks, in order, as the blob's content. */
    async putBlockList(container: string, blob: string, blockIds: string[]): Promise<void> {
        const xml = `<?xml version="1.0" encoding="utf-8"?><BlockList>${blockIds.map((id) => `<Latest>${id}</Latest>`).join("")}</BlockList>`;
        const content = Buffer.from(xml, "utf8");
        await this.request(
            "PUT",
            blobPath(container, blob),
            { comp: "blocklist" },
            [201],
            { "x-ms-blob-content-type": "application/octet-stream" },
            { length: content.length, open: () => content },
        );
    }

    /** A blob's size, ETag (unquoted) and Content-MD5, as a listing gives them; undefined when it does not exist. */
    async blobDetails(container: string, blob: string): Promise<ListedBlob | undefined> {
        const response = await this.request("HEAD", blobPath(container, blob), {}, [200, 404]);
        if (response.status === 404) return undefined;
        const header = (name: string) => {
            const value = response.headers[name];
            return Array.isArray(value) ? value[0] : value;
        };
        const contentMd5 = header("content-md5");
        return {
            name: blob,
            size: Number(header("content-length") ?? 0),
            etag: (header("etag") ?? "").replace(/^"|"$/g, ""),
            ...(contentMd5 ? { contentMd5 } : {}),
        };
    }

    /** Deletes a blob; an absent one is not an error. */
    async deleteBlob(container: string, blob: string): Promise<void> {
        await this.request("DELETE", blobPath(container, blob), {}, [202, 404]);
    }

    /** A blob's content; undefined when the blob (or its container) does not exist. */
    async getBlob(container: string, blob: string): Promise<Buffer | undefined> {
        const response = await this.request("GET", blobPath(container, blob), {}, [200, 404]);
        return response.status === 404 ? undefined : response.bytes;
    }

    /** A blob's content as text (tests and small reads). */
    async getBlobText(container: string, blob: string): Promise<string> {
        return (await this.request("GET", blobPath(container, blob), {}, [200])).body;
    }
}
