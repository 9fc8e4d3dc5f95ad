// The shape of a component's arguments as a program sends them: every leaf is a value of its type or
// an Input (an Output or a Promise, whose value is checked once it is known). Checked first, before any
// rule reads a field, so a list given as a string or an object where a name belongs is one
// `field: value: rule` issue instead of a TypeError deep inside a rule. Pure: an Output is told by
// the SDK's own brand (`__pulumiOutput`), not by importing @pulumi/pulumi.
import { z } from "zod";
import { Issue } from "./issues";
import { zodIssues } from "./zodIssues";

/** Whether `value` is an Output or a Promise: a value that is known later, never checked here. */
export function isInput(value: unknown): boolean {
    if (value instanceof Promise) return true;
    return typeof value === "object" && value !== null && (value as { __pulumiOutput?: unknown }).__pulumiOutput === true;
}

const later = z.custom<unknown>(isInput);

/** `schema`, or an Output/Promise of its value. */
export function input<T extends z.ZodType>(schema: T) {
    return z.union([schema, later]);
}

/** A string (or Input of one). */
export const text = () => input(z.string());
/** A boolean (or Input of one). */
export const flag = () => input(z.boolean());
/** A finite number (or Input of one); whole-number rules are the validators'. */
export const number = () => input(z.number().finite());
/** A list whose items have `item`'s shape (or an Input of a list). */
export const list = <T extends z.ZodType>(item: T) => input(z.array(item));
/** An object block: its fields' shapes; fields it does not name are left to the rules. */
export const block = <T extends z.ZodRawShape>(fields: T) => input(z.object(fields).loose());

type ZodIssue = z.core.$ZodIssue;

/**
 * zod reports a field that is neither its type nor an Input as a failed union of the two; what the
 * user needs is the first branch's finding (`must be a string`), at the field's full path.
 */
function plainBranch(issue: ZodIssue, at: PropertyKey[] = []): ZodIssue[] {
    const path = [...at, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) return issue.errors[0].flatMap((inner) => plainBranch(inner, path));
    return [{ ...issue, path }];
}

/** The shape's issues for `args`, named as the user wrote the fields (`volumes[0].mount`). */
export function shapeIssues(schema: z.ZodType, args: unknown): Issue[] {
    const parsed = schema.safeParse(args ?? {});
    if (parsed.success) return [];
    const issues = parsed.error.issues.flatMap((issue) => plainBranch(issue));
    return zodIssues({ issues } as z.ZodError, args);
}
