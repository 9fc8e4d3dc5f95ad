// The shape of a component's arguments as a program sends them, derived from the component's inputs
// in sdk/schema.json (which Pulumi infers from the Args interfaces: one definition, see
// provider/schema.ts): every leaf is a value of its type or an Input (an Output or a Promise, whose
// value is checked once it is known), except the `plain` ones, which another language's program always
// sends as values. Checked first, before any rule reads a field, so a list given as a string or an
// object where a name belongs is one `field: value: rule` issue instead of a TypeError deep inside a
// rule. Whether a field must be given, and which values of a closed set are accepted, are rules of the
// validators, with their own messages (the store families and drivers registered, in their order).
// Pure: the schema is passed in, and an Output is told by the SDK's own brand (`__pulumiOutput`), not
// by importing @pulumi/pulumi.
import { z } from "zod";
import { Issue } from "./issues";
import { zodIssues } from "./zodIssues";

/** A property of a resource's inputs or of an object type, as sdk/schema.json writes it. */
export interface SchemaProperty {
    type?: string;
    $ref?: string;
    items?: SchemaProperty;
    plain?: boolean;
}

/** The parts of sdk/schema.json a shape is derived from. */
export interface ArgsSchema {
    resources?: Record<string, { inputProperties?: Record<string, SchemaProperty> }>;
    types?: Record<string, { properties?: Record<string, SchemaProperty>; enum?: unknown[]; type?: string }>;
}

/** Whether `value` is an Output or a Promise: a value that is known later, never checked here. */
export function isInput(value: unknown): boolean {
    if (value instanceof Promise) return true;
    return typeof value === "object" && value !== null && (value as { __pulumiOutput?: unknown }).__pulumiOutput === true;
}

const later = z.custom<unknown>(isInput);

/** A whole number: `field: 1.5: must be a whole number` (the validators' range rules follow). */
const wholeNumber = () => z.number().refine(Number.isInteger, { message: "must be a whole number" });

const TYPE_PREFIX = "#/types/";

/**
 * The shape of the inputs of the component `token` ("skymount:index:SkyVolume"): every field optional,
 * fields the schema does not name left to the rules. Throws on a schema this cannot read, so a new kind
 * of property fails the tests instead of passing unchecked.
 */
export function argsShapeOf(schema: ArgsSchema, token: string): z.ZodType {
    const resource = schema.resources?.[token];
    if (!resource) throw new Error(`sdk/schema.json has no resource ${token}: regenerate it (sdk/README.md)`);
    const objects = new Map<string, z.ZodType>();
    const objectShape = (properties: Record<string, SchemaProperty> | undefined, where: string) =>
        z
            .object(
                Object.fromEntries(
                    Object.entries(properties ?? {}).map(([name, property]) => [name, shapeOf(property, `${where}.${name}`).optional()]),
                ),
            )
            .loose();
    const refShape = (ref: string, where: string): z.ZodType => {
        if (!ref.startsWith(TYPE_PREFIX)) throw new Error(`${where}: no shape for the reference ${ref}`);
        const type = schema.types?.[ref.slice(TYPE_PREFIX.length)];
        if (!type) throw new Error(`${where}: sdk/schema.json has no type ${ref}`);
        // A closed set is checked here by its type; its values by the rules, which say them.
        if (type.enum) return scalar(type.type, where);
        let shape = objects.get(ref);
        if (!shape) objects.set(ref, (shape = objectShape(type.properties, ref)));
        return shape;
    };
    const scalar = (type: string | undefined, where: string): z.ZodType => {
        if (type === "string") return z.string();
        if (type === "boolean") return z.boolean();
        if (type === "integer") return wholeNumber();
        if (type === "number") return z.number();
        throw new Error(`${where}: no shape for the type ${String(type)}`);
    };
    const shapeOf = (property: SchemaProperty, where: string): z.ZodType => {
        const own =
            property.$ref !== undefined
                ? refShape(property.$ref, where)
                : property.type === "array"
                  ? // Items are plain only in a plain list: an Input list's SDK type holds Inputs (Go's StringArray).
                    z.array(shapeOf({ ...property.items, plain: property.plain && property.items?.plain }, `${where}[]`))
                  : scalar(property.type, where);
        // A list or an object block may arrive as one Output (a whole ref, a list built from outputs);
        // a plain leaf never does: another language's SDK sends its value.
        const container = property.$ref !== undefined || property.type === "array";
        return property.plain && !container ? own : z.union([own, later]);
    };
    return objectShape(resource.inputProperties, token);
}

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
