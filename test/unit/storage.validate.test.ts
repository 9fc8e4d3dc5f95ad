import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatIssue } from "../../src/internal/issues";
import { SkyStorageSpec } from "../../src/skyStorage/spec";
import type { PathKind } from "../../src/internal/pathKind";
import { validateSkyStorage } from "../../src/skyStorage/validate";

// A fake file system: which local paths exist and what they are.
const paths: Record<string, PathKind> = {
    "./data": "directory",
    "./logs": "directory",
    "./other/data": "directory",
    "./train.csv": "file",
};
const kindOf = (p: string): PathKind => paths[p] ?? "missing";
const minio = { endpoint: "http://10.0.0.1:9000", hasAccessKey: true, hasSecretKey: true };

// Every rule with the exact message a user sees at preview.
const cases: Array<[string, SkyStorageSpec, string[]]> = [
    ["S3 name too short", { name: "ab" }, ['name: "ab": must be 3 to 63 characters long (s3 bucket names)']],
    [
        "S3 name with capitals",
        { name: "MyBucket" },
        [
            "name: \"MyBucket\": may contain only lowercase letters, digits, '.' and '-', and must begin and end with a letter or digit (s3 bucket names)",
        ],
    ],
    ["S3 name with two periods", { name: "my..bucket" }, ['name: "my..bucket": must not contain two adjacent periods (s3 bucket names)']],
    ["S3 name like an IP", { name: "192.168.5.4" }, ['name: "192.168.5.4": must not be formatted as an IP address (s3 bucket names)']],
    ["S3 name with xn--", { name: "xn--bucket" }, ['name: "xn--bucket": must not start with "xn--" (s3 bucket names)']],
    [
        "S3 name with -s3alias",
        { name: "data-s3alias" },
        ['name: "data-s3alias": must not end with "-s3alias" or "--ol-s3" (s3 bucket names)'],
    ],
    [
        "GCS name with google",
        { name: "my-google-data", gcp: {} },
        ['name: "my-google-data": must not start with "goog" or contain "google" or a look-alike (gcs bucket names)'],
    ],
    ["GCS name with .-", { name: "a.-b", store: "gcs" }, ["name: \"a.-b\": must not contain '..', '.-' or '-.' (gcs bucket names)"]],
    [
        "GCS name part too long",
        { name: `${"a".repeat(64)}.b`, store: "gcs" },
        [`name: "${"a".repeat(64)}.b": each dot-separated part must be at most 63 characters long (gcs bucket names)`],
    ],
    [
        "Azure name with dots",
        { name: "my.data", store: "azure" },
        [
            "name: \"my.data\": may contain only lowercase letters, digits and '-', and must begin and end with a letter or digit (azure bucket names)",
        ],
    ],
    [
        "Azure name with --",
        { name: "my--data", store: "azure" },
        ['name: "my--data": must not contain two adjacent hyphens (azure bucket names)'],
    ],
    [
        "name with a scheme",
        { name: "s3://data" },
        ['name: "s3://data": must be a bucket name without a scheme; to use an existing bucket, give its URI as source'],
    ],
    [
        "missing local source",
        { name: "data", source: "./nope" },
        [`source: "./nope": local path does not exist (resolved against ${process.cwd()})`],
    ],
    [
        "a single file as source",
        { name: "data", source: "./train.csv" },
        ['source: "./train.csv": must be a directory; to upload single files, list them in sources'],
    ],
    [
        "duplicate basenames",
        { name: "data", sources: ["./data", "./other/data"] },
        [
            'sources[1]: "./other/data": has the same basename "data" as sources[0]; each keeps its basename at the bucket root, so basenames must be unique',
        ],
    ],
    [
        "name and a URI",
        { name: "data", source: "s3://data" },
        ['name: "data": must not be given with a bucket URI source: the URI names the bucket'],
    ],
    ["neither name nor source", {}, ["name: (not set): give a bucket name, a source, or both"]],
    ["local source without name", { source: "./data" }, ["name: (not set): required when the source is local: the bucket to upload into"]],
    [
        "unknown scheme",
        { source: "ftp://data" },
        [
            'source: "ftp://data": unknown scheme: use a local path, s3://, gs://, r2:// or https://<account>.blob.core.windows.net/<container>',
        ],
    ],
    [
        "URI with a sub-path",
        { source: "s3://data/train" },
        ['source: "s3://data/train": must name a whole bucket, not a path inside one; use a volume\'s prefix for a sub-path'],
    ],
    ["two store blocks", { name: "data", aws: {}, gcp: {} }, ['aws, gcp: "both set": set at most one store block']],
    ["store contradicting the URI", { source: "gs://data", store: "s3" }, ['store: "s3": contradicts the source URI, which is on gcs']],
    ["store block contradicting the URI", { source: "s3://data", gcp: {} }, ['gcp: "set": contradicts the source URI, which is on s3']],
    [
        "store contradicting its block",
        { name: "data", store: "gcs", aws: {} },
        ['store: "gcs": contradicts the aws block (which is for s3)'],
    ],
    [
        "source and sources",
        { name: "data", source: "./data", sources: ["./logs"] },
        ['sources: ["./logs"]: give either source or sources, not both'],
    ],
    ["unknown store", { name: "data", store: "ftp" }, ['store: "ftp": must be one of s3, gcs, azure, r2, s3compatible']],
    [
        "s3compatible without endpoint",
        { name: "data", s3Compatible: { hasAccessKey: false, hasSecretKey: false } },
        ["s3Compatible.endpoint: (not set): required unless a preset (r2, wasabi, b2) supplies it"],
    ],
    [
        "r2 preset without account",
        { name: "data", s3Compatible: { preset: "r2", hasAccessKey: true, hasSecretKey: true } },
        ["s3Compatible.accountId: (not set): required by the r2 preset: it names the endpoint"],
    ],
    [
        "half a key pair",
        { name: "data", s3Compatible: { ...minio, hasSecretKey: false } },
        ["s3Compatible.secretKey: (not set): accessKey and secretKey go together"],
    ],
    [
        "endpoint without scheme",
        { name: "data", s3Compatible: { ...minio, endpoint: "minio:9000" } },
        ['s3Compatible.endpoint: "minio:9000": must be a URL with scheme http:// or https://'],
    ],
    [
        "store s3compatible without its block",
        { name: "data", store: "s3compatible" },
        ["s3Compatible: (not set): required for store s3compatible: its endpoint and keys"],
    ],
    [
        "Azure account name with capitals",
        { name: "data", azure: { storageAccountName: "MyAccount", hasAccountKey: false } },
        ['azure.storageAccountName: "MyAccount": must be 3 to 24 lowercase letters and digits'],
    ],
    [
        "Azure account key without its account",
        { name: "data", azure: { hasAccountKey: true } },
        ["azure.storageAccountName: (not set): required with azure.accountKey: the existing storage account the key belongs to"],
    ],
    [
        "Azure account key with a resource group",
        { name: "data", azure: { storageAccountName: "acct1", resourceGroupName: "rg", hasAccountKey: true } },
        [
            'azure.resourceGroupName: "rg": not used with azure.accountKey: the container is made through the Blob API in the existing account, not through Azure Resource Manager',
        ],
    ],
    [
        "Azure endpoint for an account skymount creates",
        { name: "data", azure: { endpoint: "https://acct1.blob.core.windows.net", hasAccountKey: false } },
        [
            'azure.endpoint: "https://acct1.blob.core.windows.net": only goes with azure.accountKey (an existing account) or a container URL source; accounts skymount creates use their own endpoint',
        ],
    ],
    [
        "Azure endpoint without scheme",
        { name: "data", azure: { storageAccountName: "acct1", endpoint: "acct1.blob.core.windows.net", hasAccountKey: true } },
        [
            'azure.endpoint: "acct1.blob.core.windows.net": must be the blob service URL with scheme, such as https://myaccount.blob.core.windows.net',
        ],
    ],
    [
        "Azure block with a GCS URI",
        { source: "gs://data", azure: { hasAccountKey: false } },
        ['azure: "set": contradicts the source URI, which is on gcs'],
    ],
    [
        "unknown scheme in sources",
        { name: "data", sources: ["ftp://data/dir"], s3Compatible: minio },
        [
            'sources[0]: "ftp://data/dir": unknown scheme: use a local path, or a bucket URI on the bucket\'s own store (s3://, gs://, r2://, https://<account>.blob.core.windows.net/<container>)',
        ],
    ],
    [
        "a copy across stores",
        { name: "data", sources: ["gs://public/dir"], s3Compatible: minio },
        [
            'sources[0]: "gs://public/dir": is on gcs but the bucket is on s3compatible: server-side copy needs source and destination on the same store; download it and use a local source instead',
        ],
    ],
    [
        "an r2:// copy into MinIO",
        { name: "data", sources: ["r2://public"], s3Compatible: minio },
        [
            'sources[0]: "r2://public": is on r2 but the bucket is on s3compatible: server-side copy needs source and destination on the same store; download it and use a local source instead',
        ],
    ],
    [
        "an s3:// copy into GCS",
        { name: "data", sources: ["s3://public/dir"], gcp: {} },
        [
            'sources[0]: "s3://public/dir": is on s3 but the bucket is on gcs: server-side copy needs source and destination on the same store; download it and use a local source instead',
        ],
    ],
    [
        "a copy from Azure into MinIO",
        { name: "data", sources: ["https://acct123.blob.core.windows.net/data/dir"], s3Compatible: minio },
        [
            'sources[0]: "https://acct123.blob.core.windows.net/data/dir": is on azure but the bucket is on s3compatible: server-side copy needs source and destination on the same store; download it and use a local source instead',
        ],
    ],
    [
        "an Azure copy into an account skymount creates",
        {
            name: "data",
            sources: ["https://acct123.blob.core.windows.net/raw/dir"],
            azure: { resourceGroupName: "rg", hasAccountKey: false },
        },
        [
            'sources[0]: "https://acct123.blob.core.windows.net/raw/dir": is in storage account acct123 but the container is in a storage account skymount creates: a server-side copy from Azure Blob stays inside one account (give azure.storageAccountName "acct123" and its accountKey), or download it and use a local source instead',
        ],
    ],
    [
        "an Azure copy across accounts",
        {
            name: "data",
            sources: ["https://acct123.blob.core.windows.net/raw/dir"],
            azure: { storageAccountName: "other1", hasAccountKey: true },
        },
        [
            'sources[0]: "https://acct123.blob.core.windows.net/raw/dir": is in storage account acct123 but the container is in storage account other1: a server-side copy from Azure Blob stays inside one account (give azure.storageAccountName "acct123" and its accountKey), or download it and use a local source instead',
        ],
    ],
    [
        "an Azure copy onto its own keys",
        {
            name: "data",
            sources: ["https://acct123.blob.core.windows.net/data/raw"],
            azure: { storageAccountName: "acct123", hasAccountKey: true },
        },
        [
            'sources[0]: "https://acct123.blob.core.windows.net/data/raw": copies into the same bucket under "raw/", which overlaps the keys it copies from: choose a prefix outside them',
        ],
    ],
    [
        "a copy without name",
        { sources: ["s3://public/dir"] },
        [
            'sources[0]: "s3://public/dir": a bucket URI in sources is copied into the bucket named by name: give name (without it this SkyStorage is an existing bucket, which skymount never writes to)',
        ],
    ],
    [
        "a copy into an existing bucket",
        { source: "s3://data", sources: ["s3://public/dir"] },
        [
            'sources: ["s3://public/dir"]: give either source or sources, not both',
            'sources[0]: "s3://public/dir": a bucket URI in sources is copied into the bucket named by name: give name (without it this SkyStorage is an existing bucket, which skymount never writes to)',
        ],
    ],
    [
        "a copy without a bucket",
        { name: "data", sources: ["s3:///dir"], s3Compatible: minio },
        ['sources[0]: "s3:///dir": must name a bucket: <scheme>://<bucket>[/<path>]'],
    ],
    [
        "a copy with ..",
        { name: "data", sources: ["s3://public/dir/.."], s3Compatible: minio },
        ["sources[0]: \"s3://public/dir/..\": must not contain '.' or '..' path segments"],
    ],
    [
        "a copy onto its own keys",
        { name: "data", sources: ["s3://data/raw"], s3Compatible: minio },
        [
            'sources[0]: "s3://data/raw": copies into the same bucket under "raw/", which overlaps the keys it copies from: choose a prefix outside them',
        ],
    ],
    [
        "a copy into its own source",
        { name: "data", sources: ["s3://data"], s3Compatible: minio },
        [
            'sources[0]: "s3://data": copies into the same bucket under "data/", which overlaps the keys it copies from: choose a prefix outside them',
        ],
    ],
    [
        "a copy and a local source with one basename",
        { name: "data", sources: ["./data", "s3://public/sets/data"], s3Compatible: minio },
        [
            'sources[1]: "s3://public/sets/data": has the same basename "data" as sources[0]; each keeps its basename at the bucket root, so basenames must be unique',
        ],
    ],
    [
        "two copies with one basename",
        { name: "data", sources: ["s3://one/train", "s3://two/x/train/"], s3Compatible: minio },
        [
            'sources[1]: "s3://two/x/train/": has the same basename "train" as sources[0]; each keeps its basename at the bucket root, so basenames must be unique',
        ],
    ],
    // The same rule as a volume's prefix (internal/keyPrefix.ts).
    [
        "prefix escaping upward",
        { name: "data", source: "./data", prefix: "team/../other" },
        ["prefix: \"team/../other\": must not contain empty, '.' or '..' segments"],
    ],
    [
        "absolute prefix",
        { name: "data", source: "./data", prefix: "/team" },
        ["prefix: \"/team\": must be relative to the bucket root (no leading '/')"],
    ],
    ["prefix with an empty segment", { name: "data", prefix: "a//b" }, ["prefix: \"a//b\": must not contain empty, '.' or '..' segments"]],
    ["records in another bucket of the same store", { name: "data", source: "./data", records: "s3://ops/skymount" }, []],
    [
        "records under another prefix of the same bucket",
        { name: "data", source: "./data", prefix: "set", records: "s3://data/records" },
        [],
    ],
    [
        "records inside what the sources fill",
        { name: "data", source: "./data", records: "s3://data/records" },
        [
            'records: "s3://data/records": is inside the keys the sources fill (""), where every volume and listing of them would show the records: use another bucket, or a prefix of this one outside "prefix"',
        ],
    ],
    [
        "records on another store",
        { name: "data", source: "./data", records: "gs://ops" },
        ['records: "gs://ops": is on gcs but the bucket is on s3: the records are written with the bucket\'s own keys'],
    ],
    [
        "records as a local path",
        { name: "data", source: "./data", records: "./records" },
        ['records: "./records": must be a bucket URI on the bucket\'s own store (s3://)'],
    ],
];

describe("validateSkyStorage", () => {
    for (const [name, spec, expected] of cases) {
        it(`rejects ${name}`, () => {
            assert.deepEqual(validateSkyStorage(spec, kindOf).map(formatIssue), expected);
        });
    }

    for (const [name, spec] of [
        ["a managed bucket filled from a directory", { name: "data", source: "./data", s3Compatible: minio }],
        ["several local sources", { name: "data", sources: ["./data", "./logs"], s3Compatible: minio }],
        ["an existing bucket by URI", { source: "gs://public-data" }],
        ["an Azure container URL", { source: "https://acct123.blob.core.windows.net/data" }],
        [
            "an Azure container URL with the account key",
            { source: "https://acct123.blob.core.windows.net/data", azure: { hasAccountKey: true } },
        ],
        ["a managed Azure container", { name: "data", azure: { resourceGroupName: "rg", hasAccountKey: false } }],
        [
            "a container in an existing Azure account",
            { name: "data", azure: { storageAccountName: "acct123", endpoint: "http://acct123.blob.test:10000", hasAccountKey: true } },
        ],
        ["an empty scratch bucket", { name: "scratch" }],
        [
            "local sources and copies on MinIO",
            { name: "data", sources: ["./logs", "s3://public/some/dir", "s3://whole"], s3Compatible: minio },
        ],
        ["a copy on S3", { name: "data", sources: ["s3://public/dir"] }],
        ["a copy on GCS", { name: "data", sources: ["gs://public/dir"], gcp: {} }],
        [
            "a copy on R2",
            {
                name: "data",
                sources: ["r2://public/dir"],
                s3Compatible: { preset: "r2", accountId: "acct", hasAccessKey: true, hasSecretKey: true },
            },
        ],
        [
            "a copy inside one Azure account",
            {
                name: "data",
                sources: ["https://acct123.blob.core.windows.net/raw/dir", "./logs"],
                azure: { storageAccountName: "acct123", hasAccountKey: true },
            },
        ],
        [
            "a copy inside one bucket, outside its source",
            { name: "data", sources: ["s3://data/raw"], prefix: "copies", s3Compatible: minio },
        ],
    ] as Array<[string, SkyStorageSpec]>) {
        it(`accepts ${name}`, () => assert.deepEqual(validateSkyStorage(spec, kindOf), []));
    }
});
