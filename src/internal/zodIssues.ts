// zod checks the shape of arguments (types, enums); this turns its findings into skymount's
// "field: value: rule" issues.
import type { z } from "zod";
import { Issue, issue } from "./issues";

function pathOf(parts: PropertyKey[]): string {
    return parts.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

function valueAt(root: unknown, parts: PropertyKey[]): unknown {
    return parts.reduce<unknown>((v, p) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined), root);
}

export function zodIssues(error: z.ZodError, input: unknown): Issue[] {
    return error.issues.map((i) => {
        const rule =
            i.code === "invalid_type"
                ? `must be ${i.expected === "array" ? "a list" : `${/^[aeiou]/.test(String(i.expected)) ? "an" : "a"} ${i.expected}`}`
                : i.code === "invalid_value"
                  ? `must be one of ${i.values.map(String).join(", ")}`
                  : i.code === "unrecognized_keys"
                    ? `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.join(", ")}`
                    : i.message;
        return issue(pathOf(i.path) || "(arguments)", valueAt(input, i.path), rule);
    });
}
