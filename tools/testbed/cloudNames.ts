// The clouds' own endpoint names, as the testbed answers them: which names its DNS server gives the
// bridge address, which it refuses (so a name the testbed does not serve fails at once, rather than
// leaking to the machine's resolver), which names its certificate covers, and which server behind the
// TLS front serves each. Pure: cloudNamesServer.ts, tlsFront.ts and testbedCa.ts turn it into
// processes and files, test/unit/testbedCloudNames.test.ts checks it as tables.
//
// One MinIO holds every region's buckets and GCS's. It runs without MINIO_REGION, which makes it
// accept a SigV4 signature for any region: a GCS HMAC request signs for the bucket's location
// (us-central1 by default in skymount, or "auto"), which a MinIO pinned to us-east-1 refuses
// ("AuthorizationHeaderMalformed: the region is wrong; expecting 'us-east-1'").

/** The AWS regions whose S3 endpoints the testbed answers (s3.<region>.amazonaws.com). A region outside
 *  this list does not resolve: the DNS server refuses every other amazonaws.com name. */
export const S3_REGIONS = ["us-east-1", "us-west-2", "eu-west-1"] as const;

export const GCS_XML_API_NAME = "storage.googleapis.com";
export const AZURE_BLOB_SUFFIX = "blob.core.windows.net";

/** The domains whose names the DNS server refuses, except those it serves: the clouds' closed world. */
const REFUSED_DOMAINS = ["amazonaws.com", "googleapis.com", "windows.net"];

/** Which of the testbed's servers serves a name. */
export type CloudService = "s3" | "azureBlob";

/** A name served through the TLS front: the name itself and every name one or more labels below it. */
export interface CloudNameRoute {
    domain: string;
    service: CloudService;
}

export const TLS_FRONT_PORT = 443;

/** What the TLS front (tlsFront.ts) reads at its start. */
export interface TlsFrontConfig {
    cert: string;
    key: string;
    /** The plain-HTTP server behind each service. */
    backends: Record<CloudService, { host: string; port: number }>;
}

export function s3Endpoint(region: string): string {
    return `s3.${region}.amazonaws.com`;
}

/** Every served domain. None lies under another, so their order does not matter. */
export const CLOUD_NAME_ROUTES: CloudNameRoute[] = [
    ...S3_REGIONS.map((region) => ({ domain: s3Endpoint(region), service: "s3" as const })),
    { domain: GCS_XML_API_NAME, service: "s3" },
    { domain: AZURE_BLOB_SUFFIX, service: "azureBlob" },
];

/** The domains MinIO serves virtual-hosted requests under (MINIO_DOMAIN): <bucket>.<domain>. */
export function minioDomains(routes: CloudNameRoute[] = CLOUD_NAME_ROUTES): string {
    return routes
        .filter((route) => route.service === "s3")
        .map((route) => route.domain)
        .join(",");
}

/** The service behind a TLS client's server name (SNI), or undefined for a name the testbed does not serve. */
export function serviceFor(serverName: string | undefined, routes: CloudNameRoute[] = CLOUD_NAME_ROUTES): CloudService | undefined {
    if (!serverName) return undefined;
    const name = serverName.toLowerCase().replace(/\.$/, "");
    return routes.find((route) => name === route.domain || name.endsWith(`.${route.domain}`))?.service;
}

/** The certificate's names: each S3 endpoint and GCS's with their virtual hosts (a wildcard covers one
 *  label: <bucket>.s3.<region>.amazonaws.com), Azure's blob endpoints (<account>.blob.core.windows.net). */
export function certificateNames(routes: CloudNameRoute[] = CLOUD_NAME_ROUTES): string[] {
    return routes.flatMap((route) => (route.service === "azureBlob" ? [`*.${route.domain}`] : [route.domain, `*.${route.domain}`]));
}

/** dnsmasq's configuration: the served names (and every name below them) answer `address`, the rest of
 *  the clouds' domains are refused (NXDOMAIN; dnsmasq takes the most specific match), and every other
 *  name is forwarded to the resolvers of `resolvFile`. It listens on `address` only. */
export function dnsmasqConfig(address: string, resolvFile: string, routes: CloudNameRoute[] = CLOUD_NAME_ROUTES): string {
    return [
        `listen-address=${address}`,
        "bind-interfaces",
        "port=53",
        `resolv-file=${resolvFile}`,
        // Not this machine's /etc/hosts: the test hosts see their own.
        "no-hosts",
        "user=nobody",
        "group=nogroup",
        "log-facility=-",
        ...REFUSED_DOMAINS.map((domain) => `address=/${domain}/`),
        ...routes.map((route) => `address=/${route.domain}/${address}`),
        "",
    ].join("\n");
}

/** A resolv.conf that names only the testbed's DNS server. */
export function resolvConf(address: string): string {
    return `# The skymount testbed's DNS server: the clouds' names answer its bridge address.\nnameserver ${address}\n`;
}
