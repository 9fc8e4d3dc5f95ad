// The edge where pure validation meets Pulumi: issues become one InputPropertiesError, which the
// engine reports per property at preview, before any resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { formatIssue, formatIssues, Issue } from "./issues";

export function throwIfIssues(component: string, issues: Issue[]): void {
    if (issues.length === 0) return;
    throw new pulumi.InputPropertiesError({
        message: formatIssues(`Invalid ${component} arguments`, issues),
        errors: issues.map((i) => ({ propertyPath: i.path, reason: formatIssue(i) })),
    });
}
