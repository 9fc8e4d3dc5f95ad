// How each language spells a schema property: its name and its type, following the rules of Pulumi's
// code generators (the SDKs in sdk/ are their output) and of the TypeScript components. The schema
// type, with links to the type pages, is spelled here too.
import { isEnum, PackageSpec, PropertySpec, refToken, shortName } from "./schema";

export const LANGUAGES = ["TypeScript", "Python", "Go", "YAML"] as const;
export type Language = (typeof LANGUAGES)[number];

/** camelCase -> snake_case, as Pulumi's Python generator names properties ("s3Compatible" -> "s3_compatible"). */
export function pythonName(name: string): string {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
        .toLowerCase();
}

/** Go exports every field: the first letter upper-cased ("sshCidr" -> "SshCidr"). */
export function goName(name: string): string {
    return name.charAt(0).toUpperCase() + name.slice(1);
}

export function propertyName(language: Language, name: string): string {
    return language === "Python" ? pythonName(name) : language === "Go" ? goName(name) : name;
}

/** How a program names an enum value: the const object's key, Python's upper-case member, Go's constant. */
export function enumValueName(language: Language, enumName: string, valueName: string, value: unknown): string {
    switch (language) {
        case "TypeScript":
            return `${enumName}.${valueName}`;
        case "Python":
            return `${enumName}.${pythonName(valueName).toUpperCase()}`;
        case "Go":
            return `${enumName}${valueName}`;
        case "YAML":
            return String(value);
    }
}

const SCALARS: Record<string, { ts: string; py: string; go: string }> = {
    string: { ts: "string", py: "str", go: "String" },
    boolean: { ts: "boolean", py: "bool", go: "Bool" },
    number: { ts: "number", py: "float", go: "Float64" },
    integer: { ts: "number", py: "int", go: "Int" },
};
const GO_PLAIN: Record<string, string> = { String: "string", Bool: "bool", Float64: "float64", Int: "int" };

/** The schema type as the pages write it: `string`, `array of [Volume](Volume.md)`, … */
export function schemaType(spec: PropertySpec): string {
    const token = spec.$ref ? refToken(spec.$ref) : undefined;
    if (spec.$ref) return token ? `[${shortName(token)}](${shortName(token)}.md)` : `\`${spec.$ref}\``;
    if (spec.type === "array" && spec.items) return `array of ${schemaType(spec.items)}`;
    if (spec.type === "object" && spec.additionalProperties) return `map of ${schemaType(spec.additionalProperties)}`;
    return spec.type ?? "any";
}

function typeScript(spec: PropertySpec): string {
    let inner: string;
    if (spec.$ref) inner = shortName(refToken(spec.$ref) ?? spec.$ref);
    else if (spec.type === "array" && spec.items) inner = `${typeScript(spec.items)}[]`;
    else if (spec.type === "object" && spec.additionalProperties) inner = `Record<string, ${typeScript(spec.additionalProperties)}>`;
    else inner = SCALARS[spec.type ?? ""]?.ts ?? "any";
    return spec.plain ? inner : `pulumi.Input<${inner}>`;
}

function python(schema: PackageSpec, spec: PropertySpec): string {
    let inner: string;
    const token = spec.$ref ? refToken(spec.$ref) : undefined;
    if (token) inner = isEnum(schema, token) ? shortName(token) : `${shortName(token)}Args`;
    else if (spec.type === "array" && spec.items) inner = `Sequence[${python(schema, spec.items)}]`;
    else if (spec.type === "object" && spec.additionalProperties) inner = `Mapping[str, ${python(schema, spec.additionalProperties)}]`;
    else inner = SCALARS[spec.type ?? ""]?.py ?? "Any";
    return spec.plain ? inner : `pulumi.Input[${inner}]`;
}

function go(schema: PackageSpec, spec: PropertySpec, required: boolean): string {
    const token = spec.$ref ? refToken(spec.$ref) : undefined;
    const scalar = SCALARS[spec.type ?? ""]?.go;
    if (spec.plain) {
        if (token) {
            const name = isEnum(schema, token) ? shortName(token) : `${shortName(token)}Args`;
            return required ? name : `*${name}`;
        }
        if (spec.type === "array" && spec.items) return `[]${go(schema, { ...spec.items, plain: true }, true)}`;
        if (spec.type === "object" && spec.additionalProperties)
            return `map[string]${go(schema, { ...spec.additionalProperties, plain: true }, true)}`;
        const plain = scalar ? GO_PLAIN[scalar] : "interface{}";
        return required ? plain : `*${plain}`;
    }
    const ptr = required ? "" : "Ptr";
    if (token) return `${shortName(token)}${ptr}Input`;
    if (spec.type === "array" && spec.items) return `${goElement(schema, spec.items)}ArrayInput`;
    if (spec.type === "object" && spec.additionalProperties) return `${goElement(schema, spec.additionalProperties)}MapInput`;
    return scalar ? `pulumi.${scalar}${ptr}Input` : "pulumi.Input";
}

/** The element name Go's Array/Map input types are built from: pulumi.String, or a package type. */
function goElement(schema: PackageSpec, spec: PropertySpec): string {
    const token = spec.$ref ? refToken(spec.$ref) : undefined;
    if (token) return shortName(token);
    return `pulumi.${SCALARS[spec.type ?? ""]?.go ?? ""}`;
}

/** An input's type as each language writes it in a component's or type's arguments. */
export function inputType(schema: PackageSpec, language: Language, spec: PropertySpec, required: boolean): string {
    switch (language) {
        case "TypeScript":
            return typeScript(spec);
        case "Python": {
            const type = python(schema, spec);
            return required ? type : `Optional[${type}]`;
        }
        case "Go":
            return go(schema, spec, required);
        case "YAML":
            return schemaType(spec).replace(/\[([^\]]+)\]\([^)]+\)/g, "$1");
    }
}

/** The property with every level plain: an output's value holds no further outputs. */
function resolved(spec: PropertySpec): PropertySpec {
    return {
        ...spec,
        plain: true,
        items: spec.items && resolved(spec.items),
        additionalProperties: spec.additionalProperties && resolved(spec.additionalProperties),
    };
}

/** An output as each language reads it from a component. */
export function outputType(schema: PackageSpec, language: Language, output: PropertySpec): string {
    const spec = resolved(output);
    const token = spec.$ref ? refToken(spec.$ref) : undefined;
    switch (language) {
        case "TypeScript":
            return `pulumi.Output<${typeScript(spec)}>`;
        case "Python":
            return `pulumi.Output[${python(schema, spec).replace(/Args\b/g, "")}]`;
        case "Go": {
            if (token) return `${shortName(token)}Output`;
            if (spec.type === "array" && spec.items) return `${goElement(schema, spec.items)}ArrayOutput`;
            const scalar = SCALARS[spec.type ?? ""]?.go;
            return scalar ? `pulumi.${scalar}Output` : "pulumi.AnyOutput";
        }
        case "YAML":
            return inputType(schema, "YAML", spec, true);
    }
}
