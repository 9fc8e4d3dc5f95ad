// Inputs that do not decide what a component declares (a region, an image, an endpoint, a script)
// may be unknown at preview: an output of a resource this stack has yet to create. The components
// validate and plan what is known (unknown values stand in as NOT_KNOWN_TEXT, internal/notKnown.ts),
// and the plan fields that depend on an unknown value become Outputs of the same validation and plan
// run again once everything is known: the cloud resources take them as Inputs, the scripts are
// rendered inside them, and a rule the value breaks fails there with the same `field: value: rule`.
import * as pulumi from "@pulumi/pulumi";
import { throwIfIssues } from "./inputError";
import { Issue } from "./issues";
import { childPath, isNotKnownText, isPlainObject, NOT_KNOWN, NOT_KNOWN_TEXT, unknownAtPreview } from "./notKnown";

/** A settled value (internal/settle.ts) with NOT_KNOWN_TEXT where a part was unknown: what the pure stages read. */
export function previewValue(settled: unknown): unknown {
    if (settled === NOT_KNOWN) return NOT_KNOWN_TEXT;
    if (Array.isArray(settled)) return settled.map(previewValue);
    if (isPlainObject(settled)) return Object.fromEntries(Object.entries(settled).map(([key, v]) => [key, previewValue(v)]));
    return settled;
}

/** Paths of the values in `value` given as Outputs or Promises (the program's Inputs that are not plain). */
export function pendingPaths(value: unknown, at = ""): string[] {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) return [at];
    if (Array.isArray(value)) return value.flatMap((v, i) => pendingPaths(v, childPath(at, i)));
    if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => pendingPaths(v, childPath(at, k)));
    return [];
}

/** `value` with NOT_KNOWN_TEXT at `paths`: fields planned now and taken from the later plan. */
export function markedLate(value: unknown, paths: string[], at = ""): unknown {
    if (paths.includes(at)) return NOT_KNOWN_TEXT;
    if (Array.isArray(value)) return value.map((v, i) => markedLate(v, paths, childPath(at, i)));
    if (typeof value === "object" && value !== null)
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markedLate(v, paths, childPath(at, k))]));
    return value;
}

/**
 * An options block given whole as an Output (a TypeScript program may, and the engine hands skymount's
 * provider an input with dependencies as one when the SDK sent no output values) as a plain object of
 * its fields' Outputs, so each field is settled, known or not, and passed on by itself.
 */
export function liftedBlock<T extends object>(block: pulumi.Input<T> | undefined, keys: readonly (keyof T & string)[]): T | undefined {
    if (!pulumi.Output.isInstance(block) && !(block instanceof Promise)) return block as T | undefined;
    const whole = pulumi.output(block) as pulumi.Output<Record<string, unknown> | undefined>;
    return Object.fromEntries(keys.map((key) => [key, whole.apply((b) => b?.[key])])) as T;
}

const blockOf = (path: string) => path.split(/[.[]/)[0];

/**
 * The issues that do not touch a value unknown at preview. A rule may read its block's other fields
 * (an endpoint is required unless a preset gives one), so an unknown field in a block silences the
 * block's rules until the value is known; a top-level field silences only its own.
 */
export function issuesOnKnown(issues: Issue[], unknownPaths: string[]): Issue[] {
    return issues.filter(
        (i) => !unknownPaths.some((u) => i.path === u || blockOf(u) === i.path || (u !== blockOf(u) && blockOf(i.path) === blockOf(u))),
    );
}

/**
 * One issue per unknown value among the fields that must be known at preview (`deciders`: field →
 * what it decides), said as `field: (unknown at preview): must be known at preview: it decides …`.
 */
export function unknownDeciderIssues(unknownPaths: string[], deciders: Record<string, string>): Issue[] {
    return unknownPaths.flatMap((path) => {
        const field = Object.keys(deciders).find((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`));
        return field === undefined ? [] : [unknownAtPreview(path, deciders[field])];
    });
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
    return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);
}

function fill<T>(planned: T, later: pulumi.Output<T>, path: (string | number)[]): T {
    if (isNotKnownText(planned)) return later.apply((p) => valueAt(p, path)) as unknown as T;
    if (Array.isArray(planned)) return planned.map((v, i) => fill(v, later, [...path, i])) as unknown as T;
    if (isPlainObject(planned))
        return Object.fromEntries(Object.entries(planned).map(([key, v]) => [key, fill(v, later, [...path, key])])) as T;
    return planned;
}

/**
 * `planned` (made at preview, NOT_KNOWN_TEXT in what depended on an unknown value) with each such
 * string replaced by an Output of the same field of the plan made again from `given` once it is
 * known: `plan` validates first and throws its issues there. Only cloud resource inputs and scripts
 * rendered inside an apply read those fields, so the plan keeps its plain type for everything else.
 * Known cost: the plan made again depends on every field given as an Output, so when one of them is
 * secret, every field taken from it is secret too.
 */
export function withLateFields<G, T>(
    component: string,
    planned: T,
    given: pulumi.Input<G>,
    plan: (given: G) => { issues: Issue[]; plan?: T },
): T {
    const later = pulumi.output(given).apply((value) => {
        const made = plan(value as G);
        throwIfIssues(component, made.issues);
        return made.plan!;
    });
    return fill(planned, later as pulumi.Output<T>, []);
}
