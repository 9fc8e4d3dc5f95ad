// The SharedKey signer: the canonical string the Azure Storage documentation specifies, and the
// HMAC-SHA256 of it (the expected signature was computed independently with
// `openssl dgst -sha256 -mac HMAC` over the literal string below). The end-to-end test checks the
// same signer against Azurite, which verifies every signature.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blobPath } from "../../src/clients/azureBlobClient";
import { sharedKeyAuthorization, stringToSign } from "../../src/clients/azureSharedKey";

const KEY = Buffer.from("skymount-test-account-key-0123456789").toString("base64");
const request = {
    method: "PUT",
    url: new URL("https://myaccount.blob.core.windows.net/mycontainer/a%20dir/file.txt?comp=block&blockid=YmxvY2stMDAwMDAx"),
    headers: {
        "x-ms-version": "2021-12-02",
        "x-ms-date": "Sun, 22 Nov 2026 02:00:00 GMT",
        "content-length": "11",
        "content-type": "application/octet-stream",
        "x-ms-blob-type": "BlockBlob",
    },
};

describe("Azure SharedKey signing", () => {
    it("builds the documented string to sign: verb, standard headers, x-ms- headers sorted, resource with sorted query", () => {
        assert.equal(
            stringToSign("myaccount", request),
            "PUT\n\n\n11\n\napplication/octet-stream\n\n\n\n\n\n\n" +
                "x-ms-blob-type:BlockBlob\nx-ms-date:Sun, 22 Nov 2026 02:00:00 GMT\nx-ms-version:2021-12-02\n" +
                "/myaccount/mycontainer/a%20dir/file.txt\nblockid:YmxvY2stMDAwMDAx\ncomp:block",
        );
    });

    it("signs it with HMAC-SHA256 keyed by the decoded account key", () => {
        assert.equal(sharedKeyAuthorization("myaccount", KEY, request), "SharedKey myaccount:8cO6g5spBy5WrsoyDxBRD3VWK/6GW0XuwyGspxq6jc8=");
    });

    it("signs a zero Content-Length as empty, and a path-style emulator URL with the account twice", () => {
        const head = {
            method: "HEAD",
            url: new URL("http://127.0.0.1:10000/devstoreaccount1/c1?restype=container"),
            headers: { "content-length": "0", "x-ms-date": "d", "x-ms-version": "v" },
        };
        assert.equal(
            stringToSign("devstoreaccount1", head),
            "HEAD\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:d\nx-ms-version:v\n/devstoreaccount1/devstoreaccount1/c1\nrestype:container",
        );
    });

    it("changes with the key, the verb and the resource", () => {
        const base = sharedKeyAuthorization("myaccount", KEY, request);
        assert.notEqual(sharedKeyAuthorization("myaccount", Buffer.from("other").toString("base64"), request), base);
        assert.notEqual(sharedKeyAuthorization("myaccount", KEY, { ...request, method: "DELETE" }), base);
        assert.notEqual(
            sharedKeyAuthorization("myaccount", KEY, {
                ...request,
                url: new URL("https://myaccount.blob.core.windows.net/mycontainer/other"),
            }),
            base,
        );
    });

    it("encodes blob names segment by segment, keeping '/'", () => {
        assert.equal(blobPath("c", "a dir/x+y#?.txt"), "/c/a%20dir/x%2By%23%3F.txt");
        assert.equal(blobPath("c"), "/c");
    });
});
