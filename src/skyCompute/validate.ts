// Rules for SkyCompute's own arguments: the provider, its block, the workdir; the driver checks what
// is its own (computeDrivers/planners.ts), and the volumes are checked by SkyVolume's rules.
import { COMPUTE_PLANNERS, COMPUTE_PROVIDERS, isComputeProvider } from "../computeDrivers/planners";
import { Issue, issue } from "../internal/issues";
import { missingPathRule, pathKind } from "../skyStorage/validate";
import { SkyComputeSpec } from "./spec";

export function validateSkyCompute(spec: SkyComputeSpec, kindOf = pathKind): Issue[] {
    if (!isComputeProvider(spec.provider)) return [issue("provider", spec.provider, `must be one of ${COMPUTE_PROVIDERS.join(", ")}`)];
    const issues: Issue[] = [];
    const others = spec.blocks.filter((b) => b !== spec.provider);
    if (others.length)
        issues.push(issue(others.join(", "), "set", `only the ${spec.provider} block goes with provider "${spec.provider}"`));
    issues.push(...COMPUTE_PLANNERS[spec.provider].validate(spec));
    if (spec.workdir !== undefined) {
        const kind = kindOf(spec.workdir);
        if (kind !== "directory")
            issues.push(issue("workdir", spec.workdir, kind === "missing" ? missingPathRule(spec.workdir) : "must be a directory"));
    }
    return issues;
}
