// SkyStorage's `s3Compatible` block, shared by the S3-compatible family (which owns it) and R2 (its
// "r2" preset): the block's rules, the regions its presets imply, and the keys it gives.
import { Issue, issue } from "../../internal/issues";
import type { SkyStorageSpec } from "../../model/storageSpec";

const PRESET_REGIONS: Record<string, string> = { wasabi: "us-east-1", b2: "us-west-004" };

/** The block's region, else its preset's. */
export function s3CompatibleBlockRegion(spec: SkyStorageSpec): string | undefined {
    return spec.s3Compatible?.region ?? PRESET_REGIONS[spec.s3Compatible?.preset ?? ""];
}

/** The block's endpoint without a trailing slash, when it gives one. */
export function s3CompatibleBlockEndpoint(spec: SkyStorageSpec): string | undefined {
    return spec.s3Compatible?.endpoint?.replace(/\/+$/, "");
}

export function s3CompatibleBlockIssues(spec: SkyStorageSpec): Issue[] {
    const s3c = spec.s3Compatible;
    if (!s3c) return [];
    const issues: Issue[] = [];
    if (s3c.endpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(s3c.endpoint))
        issues.push(issue("s3Compatible.endpoint", s3c.endpoint, "must be a URL with scheme http:// or https://"));
    if (s3c.endpoint === undefined && (s3c.preset === undefined || s3c.preset === "minio")) {
        issues.push(
            issue(
                "s3Compatible.endpoint",
                undefined,
                s3c.preset === "minio" ? "required for MinIO: the server's URL" : "required unless a preset (r2, wasabi, b2) supplies it",
            ),
        );
    }
    if (s3c.preset === "r2" && s3c.endpoint === undefined && !s3c.accountId)
        issues.push(issue("s3Compatible.accountId", undefined, "required by the r2 preset: it names the endpoint"));
    if (s3c.hasAccessKey !== s3c.hasSecretKey)
        issues.push(
            issue(s3c.hasAccessKey ? "s3Compatible.secretKey" : "s3Compatible.accessKey", undefined, "accessKey and secretKey go together"),
        );
    return issues;
}
