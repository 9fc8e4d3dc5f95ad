// A schema-level check of a Pulumi YAML program (already parsed): every resource of the package is a
// resource of the schema, every property it sets is an input of it (or of the object type under it) with
// a value of the right shape, required inputs are there, enum values are the enum's, and every `${name.x}`
// names something the program declares (or a namespaced config key), an output of that resource when it is
// one of the package's.
// Interpolated values are not typed: their value exists only when the program runs.
import type { PackageSpec, PropertySpec } from "../../tools/reference/schema";
import { refToken } from "../../tools/reference/schema";

interface YamlResource {
    type?: string;
    properties?: Record<string, unknown>;
}

interface YamlProgram {
    runtime?: unknown;
    config?: Record<string, unknown>;
    variables?: Record<string, unknown>;
    resources?: Record<string, YamlResource>;
    outputs?: Record<string, unknown>;
}

const INTERPOLATION = /^\$\{[^}]+\}$/;

function checkObject(
    schema: PackageSpec,
    where: string,
    value: unknown,
    properties: Record<string, PropertySpec>,
    required: string[] | undefined,
    problems: string[],
): void {
    if (typeof value === "string" && INTERPOLATION.test(value)) return;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        problems.push(`${where}: ${JSON.stringify(value)}: must be an object`);
        return;
    }
    const object = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(object)) {
        if (!(key in properties)) problems.push(`${where}.${key}: not a property (has: ${Object.keys(properties).sort().join(", ")})`);
        else checkValue(schema, `${where}.${key}`, child, properties[key], problems);
    }
    for (const key of required ?? []) if (!(key in object)) problems.push(`${where}.${key}: required, missing`);
}

function checkValue(schema: PackageSpec, where: string, value: unknown, spec: PropertySpec, problems: string[]): void {
    if (typeof value === "string" && INTERPOLATION.test(value)) return;
    const token = spec.$ref ? refToken(spec.$ref) : undefined;
    const type = token ? schema.types?.[token] : undefined;
    if (type?.enum) {
        const values = type.enum.map((v) => v.value);
        if (!values.includes(value as string)) problems.push(`${where}: ${JSON.stringify(value)}: must be one of ${values.join(", ")}`);
    } else if (type) {
        checkObject(schema, where, value, type.properties ?? {}, type.required, problems);
    } else if (spec.type === "array") {
        if (!Array.isArray(value)) problems.push(`${where}: ${JSON.stringify(value)}: must be a list`);
        else value.forEach((item, i) => checkValue(schema, `${where}[${i}]`, item, spec.items ?? {}, problems));
    } else if (spec.type === "boolean" || spec.type === "number" || spec.type === "integer") {
        const ok =
            spec.type === "boolean"
                ? typeof value === "boolean"
                : typeof value === "number" && (spec.type === "number" || Number.isInteger(value));
        if (!ok) problems.push(`${where}: ${JSON.stringify(value)}: must be ${spec.type === "integer" ? "an integer" : `a ${spec.type}`}`);
    } else if (spec.type === "string" && typeof value !== "string") {
        problems.push(`${where}: ${JSON.stringify(value)}: must be a string`);
    }
}

/** Every string in a value, with where it is. */
function stringsIn(where: string, value: unknown): [string, string][] {
    if (typeof value === "string") return [[where, value]];
    if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(`${where}[${i}]`, v));
    if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => stringsIn(`${where}.${k}`, v));
    return [];
}

/** The program's problems, each `where: what` (empty: it matches the schema). */
export function checkYamlProgram(program: YamlProgram, schema: PackageSpec): string[] {
    const problems: string[] = [];
    if (program.runtime !== "yaml" && (program.runtime as { name?: string })?.name !== "yaml") problems.push("runtime: must be yaml");
    const resources = program.resources ?? {};
    for (const [name, resource] of Object.entries(resources)) {
        if (!resource.type?.startsWith(`${schema.name}:`)) continue;
        const spec = schema.resources?.[resource.type];
        if (!spec) {
            problems.push(`resources.${name}.type: ${resource.type}: not a resource of ${schema.name}`);
            continue;
        }
        checkObject(
            schema,
            `resources.${name}.properties`,
            resource.properties ?? {},
            spec.inputProperties ?? {},
            spec.requiredInputs,
            problems,
        );
    }
    const declared = new Set([
        "pulumi",
        ...Object.keys(program.config ?? {}),
        ...Object.keys(program.variables ?? {}),
        ...Object.keys(resources),
    ]);
    const everything = { variables: program.variables, resources, outputs: program.outputs };
    for (const [where, text] of stringsIn("", everything)) {
        for (const [, root, field] of text.matchAll(/\$\{([^}.[\]]+)(?:\.([A-Za-z0-9_]+))?/g)) {
            // A namespaced key (`${aws:region}`) is another package's stack config, never declared in the program.
            if (!declared.has(root) && !root.includes(":")) {
                problems.push(`${where.slice(1)}: \${${root}}: not declared (config, variables or resources)`);
                continue;
            }
            const type = resources[root]?.type;
            const outputs = type ? schema.resources?.[type]?.properties : undefined;
            if (outputs && field !== undefined && !(field in outputs))
                problems.push(
                    `${where.slice(1)}: \${${root}.${field}}: not an output of ${type} (has: ${Object.keys(outputs).sort().join(", ")})`,
                );
        }
    }
    return problems;
}
