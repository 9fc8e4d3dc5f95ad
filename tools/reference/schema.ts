// The parts of a Pulumi package schema (sdk/schema.json) the reference reads, and what it derives from
// them: a type's short name, whether a property is required, its default. Generic over the schema, since
// the schema changes with the components (new properties, integers, required lists, enums).

export interface PropertySpec {
    type?: string;
    $ref?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
    plain?: boolean;
    secret?: boolean;
    description?: string;
    default?: unknown;
}

export interface EnumValueSpec {
    name?: string;
    description?: string;
    value: string | number | boolean;
}

export interface TypeSpec {
    description?: string;
    type: string;
    properties?: Record<string, PropertySpec>;
    required?: string[];
    enum?: EnumValueSpec[];
}

export interface ResourceSpec {
    description?: string;
    properties?: Record<string, PropertySpec>;
    required?: string[];
    inputProperties?: Record<string, PropertySpec>;
    requiredInputs?: string[];
    isComponent?: boolean;
}

export interface PackageSpec {
    name: string;
    version?: string;
    description?: string;
    language?: { go?: { importBasePath?: string }; python?: { packageName?: string } };
    types?: Record<string, TypeSpec>;
    resources?: Record<string, ResourceSpec>;
}

/** One input or output of a resource or object type, as the pages list it. */
export interface Field {
    name: string;
    spec: PropertySpec;
    required: boolean;
}

/** "skymount:index:StorageRef" -> "StorageRef". */
export function shortName(token: string): string {
    return token.slice(token.lastIndexOf(":") + 1);
}

/** "#/types/skymount:index:StorageRef" -> "skymount:index:StorageRef"; undefined for refs outside the package. */
export function refToken(ref: string): string | undefined {
    return ref.startsWith("#/types/") ? decodeURIComponent(ref.slice("#/types/".length)) : undefined;
}

export function isEnum(schema: PackageSpec, token: string): boolean {
    return schema.types?.[token]?.enum !== undefined;
}

/** The fields of a property map, sorted by name, with required ones marked. */
export function fieldsOf(properties: Record<string, PropertySpec> | undefined, required: string[] | undefined): Field[] {
    const requiredSet = new Set(required ?? []);
    return Object.entries(properties ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, spec]) => ({ name, spec, required: requiredSet.has(name) }));
}

/**
 * The default a description states: the rest of its "Defaults to …" (or "Defaults per …") sentence.
 * Sentences end at a period followed by a space or the end, so "0.0.0.0/0" stays whole.
 */
export function defaultOf(spec: PropertySpec): string | undefined {
    if (spec.default !== undefined) return JSON.stringify(spec.default);
    const text = (spec.description ?? "").replace(/\s+/g, " ");
    const match = /\bDefaults (to |per )?(.*?)(?:\.(?=\s|$)|$)/.exec(text);
    if (!match) return undefined;
    return match[1] === "per " ? `per ${match[2]}` : match[2];
}

/** The first sentence of a description, for index tables. */
export function summaryOf(description: string | undefined): string {
    const text = (description ?? "").replace(/\s+/g, " ").trim();
    const end = /\.(?=\s|$)/.exec(text);
    return end ? text.slice(0, end.index + 1) : text;
}

/** Object types and enum types of the package, by short name. */
export function typesOf(schema: PackageSpec): { objects: [string, TypeSpec][]; enums: [string, TypeSpec][] } {
    const entries = Object.entries(schema.types ?? {}).sort(([a], [b]) => shortName(a).localeCompare(shortName(b)));
    return {
        objects: entries.filter(([, t]) => t.enum === undefined),
        enums: entries.filter(([, t]) => t.enum !== undefined),
    };
}

export function componentsOf(schema: PackageSpec): [string, ResourceSpec][] {
    return Object.entries(schema.resources ?? {}).sort(([a], [b]) => shortName(a).localeCompare(shortName(b)));
}
