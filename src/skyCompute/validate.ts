// Rules for SkyCompute's own arguments: the provider, its block, the workdir; the driver checks what
// is its own (computeDrivers/planners.ts), and the volumes are checked by SkyVolume's rules (before
// any machine is declared). On GCP and Azure, what decides the machines' grants must be known at preview.
import { COMPUTE_PLANNERS, COMPUTE_PROVIDERS, isComputeProvider } from "../computeDrivers/planners";
import type { MachineVolumeSpec } from "../computeDrivers/driver";
import { Issue, issue } from "../internal/issues";
import { missingPathRule, PathKind } from "../internal/pathKind";
import { isKnown, notKnownIssues } from "../internal/notKnown";
import type { SettledVolume } from "../skyVolume/givenVolumes";
import { SkyComputeSpec } from "./spec";

export function validateSkyCompute(spec: SkyComputeSpec, kindOf: (p: string) => PathKind): Issue[] {
    if (!isComputeProvider(spec.provider)) return [issue("provider", spec.provider, `must be one of ${COMPUTE_PROVIDERS.join(", ")}`)];
    const issues: Issue[] = [];
    const others = spec.blocks.filter((b) => b !== spec.provider);
    if (others.length)
        issues.push(issue(others.join(", "), "set", `only the ${spec.provider} block goes with provider "${spec.provider}"`));
    issues.push(...COMPUTE_PLANNERS[spec.provider].validate(spec));
    if (spec.workdir !== undefined) {
        const kind = kindOf(spec.workdir);
        // The root is a directory, but archiving it would walk /proc and the whole disk into stdin.
        if (spec.workdir.replace(/\/+$/, "") === "")
            issues.push(issue("workdir", spec.workdir, "must be a project directory, not the root of the file system"));
        else if (kind !== "directory")
            issues.push(issue("workdir", spec.workdir, kind === "missing" ? missingPathRule(spec.workdir) : "must be a directory"));
    }
    return issues;
}

/** What each cloud grants its machines per bucket, and why that must be known at preview. (AWS grants
 *  them in one policy, whose document may be unknown at preview: pendingGrants.) */
const GRANT_DECIDES: Partial<Record<string, string>> = {
    gcp: "the machines' bucket IAM bindings, one per bucket: keyed per volume instead, two volumes on one bucket would bind the same member and role twice, and deleting either binding would take the bucket from both",
    azure: "the machines' role assignments, one per container: keyed per volume instead, two volumes on one container would ask for the same assignment twice (Azure refuses the second), and deleting either would take the container from both",
};

/** The fields of a volume that decide the grants on `provider`, or none when it is granted nothing. */
function grantFields(provider: string, volume: SettledVolume): Record<string, unknown> {
    const s = volume.spec.storage;
    const placement = {
        "storage.store": s.store,
        "storage.endpoint": s.endpoint,
        "storage.bucket": s.bucket,
        readOnly: volume.spec.readOnly,
    };
    if ((provider === "aws" || provider === "gcp") && s.hasCredentials === false)
        return provider === "aws" ? { ...placement, prefix: volume.spec.prefix } : placement;
    if (provider === "azure" && volume.azureScope !== undefined) return placement;
    return {};
}

/**
 * On a cloud provider, what decides how many grants the machines get (and of what) must be known at
 * preview: refused here, field by field, for the volumes the machines reach through their identity.
 */
export function unknownGrantIssues(provider: string, volumes: SettledVolume[]): Issue[] {
    const decides = GRANT_DECIDES[provider];
    if (decides === undefined) return [];
    return volumes.flatMap((volume, i) =>
        Object.entries(grantFields(provider, volume)).flatMap(([field, value]) =>
            isKnown(value)
                ? []
                : notKnownIssues(
                      value,
                      `volumes[${i}].${field}`,
                      `${decides}; give a value known before the preview, or keys (storage.credentials)`,
                  ),
        ),
    );
}

/** Whether a volume reached through the machines' identity (no keys) has what its grant says unknown at preview. */
export function pendingGrants(volumes: SettledVolume[]): boolean {
    return volumes.some(
        (v) =>
            v.spec.storage.hasCredentials === false &&
            ![v.spec.storage.store, v.spec.storage.endpoint, v.spec.storage.bucket, v.spec.prefix, v.spec.readOnly].every(isKnown),
    );
}

/** The volumes as the drivers see them: one whose placement is not known yet (refused at preview by
 *  unknownGrantIssues) is seen as one that is granted nothing, so no driver reads an unknown value. */
export function withGrantsKnown(volumes: MachineVolumeSpec[]): MachineVolumeSpec[] {
    return volumes.map((v) =>
        [v.store, v.bucket, v.endpoint, v.prefix, v.readOnly, v.hasCredentials].every(isKnown)
            ? v
            : { ...v, hasCredentials: true, azureScope: undefined },
    );
}
