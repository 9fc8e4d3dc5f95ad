// What every family reached through the S3 API shares (AWS S3, S3-compatible servers, R2, and GCS
// through its XML API): S3's bucket-name rules, how geesefs mounts such a bucket, and the S3 sync
// target.
import type * as pulumi from "@pulumi/pulumi";
import type { CredentialValues } from "../model/storageRef";
import { CREDENTIALS_DIR } from "../hostScripts/hostPaths";
import type { S3SyncTarget } from "../sync/core/target";
import type { BucketPlan, GeesefsProfile, WriteAccess } from "./family";
import { sharedCredentialsFile } from "./s3/sharedConfigFile";

export const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

/** S3's bucket-name rules, as SkyPilot enforces them (R2 and S3-compatible servers follow them). */
export function s3BucketNameRules(name: string): string[] {
    const broken: string[] = [];
    if (name.length < 3 || name.length > 63) broken.push("must be 3 to 63 characters long");
    if (!/^[a-z0-9][-a-z0-9.]*[a-z0-9]$/.test(name))
        broken.push("may contain only lowercase letters, digits, '.' and '-', and must begin and end with a letter or digit");
    if (name.includes("..")) broken.push("must not contain two adjacent periods");
    if (IPV4.test(name)) broken.push("must not be formatted as an IP address");
    if (name.startsWith("xn--")) broken.push('must not start with "xn--"');
    if (name.endsWith("-s3alias") || name.endsWith("--ol-s3")) broken.push('must not end with "-s3alias" or "--ol-s3"');
    return broken;
}

/**
 * geesefs over the S3 API. `speaksV4`: every store of the family takes SigV4 (AWS S3, GCS's XML API
 * with HMAC keys, R2); an S3-compatible server may be of any make and age.
 */
export function s3Geesefs({ speaksV4 }: { speaksV4: boolean }): GeesefsProfile {
    return {
        api: "s3",
        source: (bucket, prefix) => (prefix ? `${bucket}:${prefix}/` : bucket),
        keyFile: (name) => ({ file: `${CREDENTIALS_DIR}/${name}` }),
        keyFileText: sharedCredentialsFile,
        flags: (mount) => ({
            protocolFlags: [
                // An explicit region: geesefs would otherwise guess it with a HEAD request at every mount,
                // which fails on some S3-compatible servers and adds a round trip.
                `--region=${mount.region}`,
                // ListObjectsV2 works on every S3-compatible store; geesefs's default (V1, or Yandex's
                // ext-v1) does not (geesefs README, "Common issues").
                "--list-type=2",
                // With the region given, geesefs's detection at start (core/backend_s3.go, Init) is a
                // HEAD of a random key under the mount's prefix and, when that answers 403 or 400, a
                // switch to V2 signing and a second HEAD. It buys only that V2 fallback, for old servers
                // refusing SigV4, and it fails the mount of an identity that may read only under a
                // prefix (an instance role's grant): a missing key is 403 for it, not 404, and the V2
                // retry answers BadRequest. So it is off where the store is known to take SigV4, and
                // for every keyless mount; an S3-compatible server with keys keeps the fallback. The
                // mount script's probe (a listing of the mount) still catches wrong keys, endpoint or bucket.
                ...(speaksV4 || !mount.hasCredentials ? ["--no-detect"] : []),
            ],
            accessFlags: [
                // Virtual-host addressing is what AWS, GCS and R2 expect; MinIO and other self-hosted
                // servers often only answer path-style, which is geesefs's default.
                ...(mount.pathStyle ? [] : ["--subdomain"]),
                // Static keys come from a 0600 file; without one geesefs takes the AWS SDK chain, so an EC2
                // instance role works with IMDSv2 required (geesefs's --iam flag speaks only IMDSv1).
                ...(mount.hasCredentials ? [`--shared-config=${mount.credentialsFile}`] : []),
            ],
        }),
    };
}

/** An S3 sync target for the planned bucket; `endpoint` undefined lets the SDK pick AWS's from the region. */
export function s3WriteTarget(plan: BucketPlan, endpoint: string | undefined, singleDeletes = false): S3SyncTarget {
    return { kind: "s3", endpoint, region: plan.region, pathStyle: plan.pathStyle, singleDeletes };
}

/** Syncs and copies with the keys the program gave (S3-compatible servers, R2). */
export function givenKeysWriteAccess(plan: BucketPlan, given: pulumi.Output<CredentialValues> | undefined): WriteAccess {
    return { target: s3WriteTarget(plan, plan.endpoint), credentials: given };
}
