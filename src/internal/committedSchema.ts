// sdk/schema.json, the package's committed schema, read once: Construct takes the components' outputs
// from it, each component checks its arguments against the shape derived from it
// (internal/inputShape.ts) before any rule reads them, and an options block given whole as an Output is
// lifted into the fields the schema gives its type.
import { argsShapeOf, ArgsSchema, shapeIssues } from "./inputShape";
import { Issue } from "./issues";
import { readPackageFile } from "./packageFile";
import type { z } from "zod";

let schema: ArgsSchema | undefined;
const shapes = new Map<string, z.ZodType>();

/** The committed sdk/schema.json, parsed. */
export function committedSchema(): ArgsSchema {
    return (schema ??= JSON.parse(readPackageFile("sdk/schema.json")) as ArgsSchema);
}

/** The fields of the schema's object type `name` ("AwsStorage"), as keys of its interface `T`. */
export function typeFields<T>(name: string): (keyof T & string)[] {
    const type = committedSchema().types?.[`skymount:index:${name}`];
    if (!type?.properties) throw new Error(`sdk/schema.json has no object type ${name}: regenerate it (sdk/README.md)`);
    return Object.keys(type.properties) as (keyof T & string)[];
}

/** The issues of `args` against the shape of the component `name`'s inputs ("SkyVolume"). */
export function argsShapeIssues(name: string, args: unknown): Issue[] {
    const token = `skymount:index:${name}`;
    let shape = shapes.get(token);
    if (!shape) shapes.set(token, (shape = argsShapeOf(committedSchema(), token)));
    return shapeIssues(shape, args);
}
