// One bad input, said as "field: value: rule". Validators collect every issue and the component
// throws them once (src/internal/inputError.ts), so a user fixes all of them in one pass.

export interface Issue {
    /** Where, as the user wrote it: `volumes[2].mount`. */
    path: string;
    /** The offending value, quoted; secrets are never shown. */
    value: string;
    /** What the value must be. */
    rule: string;
}

export function issue(path: string, value: unknown, rule: string): Issue {
    return { path, value: showValue(value), rule };
}

/** Renders a value for a message: strings quoted, absent values named, everything short. */
export function showValue(value: unknown): string {
    if (value === undefined) return "(not set)";
    // JSON has no NaN or infinities (it would say null).
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function formatIssue(i: Issue): string {
    return `${i.path}: ${i.value}: ${i.rule}`;
}

export function formatIssues(title: string, issues: Issue[]): string {
    return [`${title}:`, ...issues.map((i) => `  - ${formatIssue(i)}`)].join("\n");
}
