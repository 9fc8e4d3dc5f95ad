// The Blob API's XML as BlobClient reads it: List Blobs pages (entities decoded, one blob or many,
// the NextMarker that continues a listing) and error bodies; and a listing that spans pages against
// a stand-in server.
import assert from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { BlobClient, BlobError } from "../../src/clients/azureBlobClient";
import { blobErrorCode, parseBlobListPage } from "../../src/clients/azureBlobXml";

const blob = (name: string, size: number, etag: string, nameAttributes = "") => `
    <Blob>
      <Name${nameAttributes}>${name}</Name>
      <Properties>
        <Creation-Time>Sun, 22 Nov 2026 03:04:05 GMT</Creation-Time>
        <Last-Modified>Sun, 22 Nov 2026 03:04:05 GMT</Last-Modified>
        <Etag>${etag}</Etag>
        <Content-Length>${size}</Content-Length>
        <Content-Type>application/octet-stream</Content-Type>
        <Content-MD5 />
        <BlobType>BlockBlob</BlobType>
        <LeaseStatus>unlocked</LeaseStatus>
      </Properties>
      <Metadata />
    </Blob>`;

// Azure starts its bodies with a byte order mark.
const listing = (opts: { prefix?: string; blobs: string[]; nextMarker?: string }) =>
    `\ufeff<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="http://127.0.0.1:10000/devstoreaccount1" ContainerName="data">${
        opts.prefix === undefined
            ? ""
            : `
  <Prefix>${opts.prefix}</Prefix>`
    }
  <MaxResults>5000</MaxResults>
  <Blobs>${opts.blobs.join("")}
  </Blobs>
  ${opts.nextMarker === undefined ? "<NextMarker />" : `<NextMarker>${opts.nextMarker}</NextMarker>`}
</EnumerationResults>`;

describe("parseBlobListPage", () => {
    it("reads every blob's name, size and ETag under a prefix, entities decoded, and the NextMarker", () => {
        const page = parseBlobListPage(
            listing({
                prefix: "in/",
                blobs: [
                    blob("in/a&amp;b &lt;1&gt;.csv", 100, "0x8DCBFF45D8A29A1"),
                    blob("in/résumé/&quot;x&apos;.bin", 0, '"0x8DCBFF45D8A29A2"'),
                ],
                nextMarker: "2!96!MDAwMDI0IWluL3ppcC5iaW4hMDAwMDI4ITk5OTktMTItMzFUMjM6NTk6NTkuOTk5OTk5OVoh",
            }),
        );
        assert.deepEqual(page, {
            blobs: [
                { name: "in/a&b <1>.csv", size: 100, etag: "0x8DCBFF45D8A29A1" },
                { name: `in/résumé/"x'.bin`, size: 0, etag: "0x8DCBFF45D8A29A2" },
            ],
            nextMarker: "2!96!MDAwMDI0IWluL3ppcC5iaW4hMDAwMDI4ITk5OTktMTItMzFUMjM6NTk6NTkuOTk5OTk5OVoh",
        });
    });

    it("reads a single blob without a prefix, and a last page without a NextMarker, with or without a byte order mark", () => {
        assert.deepEqual(parseBlobListPage(listing({ blobs: [blob("only.txt", 5, "0x1")] })), {
            blobs: [{ name: "only.txt", size: 5, etag: "0x1" }],
        });
        assert.deepEqual(parseBlobListPage(listing({ blobs: [blob("only.txt", 5, "0x1")] }).slice(1)), {
            blobs: [{ name: "only.txt", size: 5, etag: "0x1" }],
        });
    });

    it("reads an empty page, and one whose NextMarker is an empty element", () => {
        assert.deepEqual(parseBlobListPage(listing({ blobs: [] })), { blobs: [] });
        assert.deepEqual(parseBlobListPage(listing({ blobs: [], nextMarker: "" })), { blobs: [] });
        assert.deepEqual(parseBlobListPage('<?xml version="1.0"?><EnumerationResults ContainerName="c"><Blobs/></EnumerationResults>'), {
            blobs: [],
        });
    });

    it("decodes a name Azure percent-encoded because XML cannot carry it", () => {
        const page = parseBlobListPage(listing({ blobs: [blob("a%01b", 1, "0x2", ' Encoded="true"')] }));
        assert.deepEqual(page.blobs, [{ name: "a\u0001b", size: 1, etag: "0x2" }]);
    });

    it("refuses an answer that is not a listing", () => {
        assert.throws(() => parseBlobListPage("<Error><Code>X</Code></Error>"), /without one <EnumerationResults>/);
        assert.throws(() => parseBlobListPage("<html>"), /XML parse error/);
    });
});

describe("blobErrorCode", () => {
    it("reads the code of an error body, and gives '' for an empty or foreign body", () => {
        const body = `\ufeff<?xml version="1.0" encoding="utf-8"?><Error><Code>ContainerNotFound</Code><Message>The specified container does not exist.
RequestId:0b0a…
Time:2026-11-22T03:04:05.6780000Z</Message></Error>`;
        assert.equal(blobErrorCode(body), "ContainerNotFound");
        assert.equal(blobErrorCode(body.slice(1)), "ContainerNotFound");
        assert.equal(blobErrorCode(""), "");
        assert.equal(blobErrorCode("<html><body>Bad gateway</body></html>"), "");
        assert.equal(blobErrorCode("not xml at all"), "");
    });
});

describe("BlobClient listing against a stand-in server", () => {
    const markers: Array<string | null> = [];
    let server: http.Server;
    let endpoint: string;

    before(async () => {
        server = http.createServer((req, res) => {
            const url = new URL(req.url!, "http://x");
            if (url.pathname.endsWith("/missing")) {
                res.statusCode = 404;
                res.end(
                    '<?xml version="1.0" encoding="utf-8"?><Error><Code>ContainerNotFound</Code><Message>The specified container does not exist.</Message></Error>',
                );
                return;
            }
            markers.push(url.searchParams.get("marker"));
            const last = url.searchParams.get("marker") === "page&2";
            res.end(
                last
                    ? listing({ prefix: "p/", blobs: [blob("p/c", 3, "0xC")] })
                    : listing({ prefix: "p/", blobs: [blob("p/a", 1, "0xA"), blob("p/b", 2, "0xB")], nextMarker: "page&amp;2" }),
            );
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/devstoreaccount1`;
    });
    after(() => server.close());

    it("follows NextMarker (decoded) until the last page", async () => {
        const client = new BlobClient({ endpoint, account: "devstoreaccount1", key: Buffer.from("key").toString("base64") });
        try {
            assert.deepEqual(await client.listAllBlobs("data", "p/"), ["p/a", "p/b", "p/c"]);
            assert.deepEqual(markers, [null, "page&2"]);
        } finally {
            client.destroy();
        }
    });

    it("names the error code from the body when the header does not", async () => {
        const client = new BlobClient({ endpoint, account: "devstoreaccount1", key: Buffer.from("key").toString("base64") });
        try {
            await assert.rejects(
                client.listAllBlobs("missing"),
                (err: Error) =>
                    err instanceof BlobError &&
                    err.code === "ContainerNotFound" &&
                    err.message === "GET /devstoreaccount1/missing: 404 ContainerNotFound",
            );
        } finally {
            client.destroy();
        }
    });
});
