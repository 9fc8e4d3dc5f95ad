// The reference's pages, rendered from the schema: an index, a page per component, per object type and
// per enum. Pure: the schema and the example snippets in, file names and Markdown out.
import {
    componentsOf,
    defaultOf,
    Field,
    fieldsOf,
    PackageSpec,
    PropertySpec,
    refToken,
    shortName,
    summaryOf,
    TypeSpec,
    typesOf,
} from "./schema";
import { fenceOf, Snippet } from "./snippets";
import { enumValueName, inputType, LANGUAGES, Language, outputType, propertyName, pythonName, schemaType } from "./spelling";

export const GENERATED_NOTE =
    "Generated from [sdk/schema.json](../../sdk/schema.json) by `npm run docs:reference` (tools/reference.ts): do not edit.";

/** Finds the example snippet of a component in a language. */
export type SnippetFinder = (language: Language, component: string) => Snippet | undefined;

/** Markdown-safe text: `<`, `>` and `|` escaped outside code spans, line breaks joined. */
function prose(text: string | undefined): string {
    return (text ?? "")
        .replace(/\s*\n\s*/g, " ")
        .split("`")
        .map((part, i) => (i % 2 === 0 ? part.replace(/</g, "&lt;").replace(/>/g, "&gt;") : part))
        .join("`")
        .replace(/\|/g, "\\|");
}

const code = (text: string): string => `\`${text.replace(/\|/g, "\\|")}\``;
const yesNo = (value: boolean | undefined): string => (value ? "yes" : "no");

/** Every type a property refers to, directly or through arrays and maps. */
function refsOf(spec: PropertySpec): string[] {
    const own = spec.$ref ? [refToken(spec.$ref)].filter((t): t is string => t !== undefined) : [];
    return [...own, ...(spec.items ? refsOf(spec.items) : []), ...(spec.additionalProperties ? refsOf(spec.additionalProperties) : [])];
}

/** The components and types whose properties use `token`, as links. */
function usedBy(schema: PackageSpec, token: string): string[] {
    const users: string[] = [];
    for (const [name, resource] of componentsOf(schema)) {
        const properties = { ...resource.inputProperties, ...resource.properties };
        if (Object.values(properties).some((p) => refsOf(p).includes(token))) users.push(shortName(name));
    }
    for (const [name, type] of Object.entries(schema.types ?? {}))
        if (Object.values(type.properties ?? {}).some((p) => refsOf(p).includes(token))) users.push(shortName(name));
    return [...new Set(users)].sort().map((name) => `[${name}](${name}.md)`);
}

/** The table of fields and, under it, how each language spells them. */
function fieldTables(schema: PackageSpec, fields: Field[], noun: string): string[] {
    if (fields.length === 0) return [`No ${noun}s.`, ""];
    const lines = [
        `| ${noun} | Type | Required | Default | Secret | Takes an output | Description |`,
        "|---|---|---|---|---|---|---|",
        ...fields.map(
            (f) =>
                `| ${code(f.name)} | ${schemaType(f.spec)} | ${yesNo(f.required)} | ${prose(defaultOf(f.spec)) || "—"} | ${yesNo(f.spec.secret)} | ` +
                `${yesNo(!f.spec.plain)} | ${prose(f.spec.description)} |`,
        ),
        "",
        `Each ${noun.toLowerCase()} as the languages write it (YAML: the name above, the schema type):`,
        "",
        "| " + ["TypeScript", "Python", "Go"].join(" | ") + " |",
        "|---|---|---|",
        ...fields.map(
            (f) =>
                "| " +
                (["TypeScript", "Python", "Go"] as Language[])
                    .map((l) => `${code(propertyName(l, f.name))}: ${code(inputType(schema, l, f.spec, f.required))}`)
                    .join(" | ") +
                " |",
        ),
        "",
    ];
    return lines;
}

function examples(component: string, find: SnippetFinder): string[] {
    const lines = ["## Examples", ""];
    for (const language of LANGUAGES) {
        const snippet = find(language, component);
        lines.push(`### ${language}`, "");
        if (!snippet) {
            lines.push(`No example program declares ${component} in ${language} yet.`, "");
            continue;
        }
        lines.push(`From [${snippet.file}](../../${snippet.file}):`, "", "```" + fenceOf(language), snippet.code, "```", "");
    }
    return lines;
}

function componentPage(schema: PackageSpec, token: string, find: SnippetFinder): string {
    const name = shortName(token);
    const resource = schema.resources![token];
    const inputs = fieldsOf(resource.inputProperties, resource.requiredInputs);
    const outputs = fieldsOf(resource.properties, resource.required);
    const variable = name.charAt(0).toLowerCase() + name.slice(1);
    return [
        `# ${name}`,
        "",
        `${code(token)}, a component resource. [Reference index](README.md). ${GENERATED_NOTE}`,
        "",
        prose(resource.description),
        "",
        ...examples(name, find),
        "## Inputs",
        "",
        ...fieldTables(schema, inputs, "Input"),
        "## Outputs",
        "",
        "| Output | Type | Description | TypeScript | Python | Go | YAML |",
        "|---|---|---|---|---|---|---|",
        ...outputs.map(
            (f) =>
                `| ${code(f.name)} | ${schemaType(f.spec)} | ${prose(f.spec.description)} | ` +
                `${code(`${variable}.${f.name}`)}: ${code(outputType(schema, "TypeScript", f.spec))} | ` +
                `${code(`${variable}.${pythonName(f.name)}`)}: ${code(outputType(schema, "Python", f.spec))} | ` +
                `${code(`${variable}.${propertyName("Go", f.name)}`)}: ${code(outputType(schema, "Go", f.spec))} | ` +
                `${code(`\${${variable}.${f.name}}`)} |`,
        ),
        "",
    ].join("\n");
}

function objectPage(schema: PackageSpec, token: string, type: TypeSpec): string {
    const name = shortName(token);
    const users = usedBy(schema, token);
    return [
        `# ${name}`,
        "",
        `${code(token)}, an object type: Python ${code(`${name}Args`)}, Go ${code(`${name}Args`)} (as an input). [Reference index](README.md). ${GENERATED_NOTE}`,
        "",
        prose(type.description),
        "",
        `Used by: ${users.join(", ") || "none"}.`,
        "",
        "## Properties",
        "",
        ...fieldTables(schema, fieldsOf(type.properties, type.required), "Property"),
    ].join("\n");
}

function enumPage(schema: PackageSpec, token: string, type: TypeSpec): string {
    const name = shortName(token);
    const users = usedBy(schema, token);
    return [
        `# ${name}`,
        "",
        `${code(token)}, an enum of ${type.type} values. [Reference index](README.md). ${GENERATED_NOTE}`,
        "",
        prose(type.description),
        "",
        `Used by: ${users.join(", ") || "none"}.`,
        "",
        "TypeScript takes the value itself as well as the const object's key.",
        "",
        "| Value | Description | " + LANGUAGES.join(" | ") + " |",
        "|---|---|" + LANGUAGES.map(() => "---|").join(""),
        ...(type.enum ?? []).map((v) => {
            const valueName = v.name ?? String(v.value);
            const spelled = LANGUAGES.map((l) => code(enumValueName(l, name, valueName, v.value)));
            return `| ${code(JSON.stringify(v.value))} | ${prose(v.description)} | ${spelled.join(" | ")} |`;
        }),
        "",
    ].join("\n");
}

function indexPage(schema: PackageSpec): string {
    const { objects, enums } = typesOf(schema);
    const goPath = schema.language?.go?.importBasePath ?? `<module>/${schema.name}`;
    const pythonPackage = schema.language?.python?.packageName ?? `pulumi_${schema.name}`;
    const row = ([token, spec]: [string, { description?: string }]) =>
        `| [${shortName(token)}](${shortName(token)}.md) | ${prose(summaryOf(spec.description))} |`;
    return [
        `# ${schema.name} API reference`,
        "",
        `${GENERATED_NOTE} Version ${schema.version ?? "unversioned"}.`,
        "",
        prose(schema.description),
        "",
        "Each component page lists every input (its type, whether it is required, its default, whether it is",
        "secret, whether it takes another resource's output), its outputs, how TypeScript, Python and Go spell",
        "each of them, and the component's declaration in an example program per language.",
        "",
        `- **TypeScript**: \`import { … } from "${schema.name}"\` (the npm package); the components themselves.`,
        `- **Python**: \`import ${pythonPackage}\`; inputs are snake_case keyword arguments, object types are \`…Args\` classes.`,
        `- **Go**: \`import "${goPath}"\`; fields are exported names, object types are \`…Args\` structs.`,
        `- **YAML**: \`type: ${schema.name}:index:<Component>\` with the schema's camelCase names; no SDK.`,
        "",
        "Python, Go and YAML programs reach the components through skymount's provider plugin",
        "([README](../../README.md#from-python-go-or-yaml)); the example programs are listed in",
        "[examples/README.md](../../examples/README.md).",
        "",
        "## Components",
        "",
        "| Component | What it is |",
        "|---|---|",
        ...componentsOf(schema).map(row),
        "",
        "## Object types",
        "",
        "| Type | What it is |",
        "|---|---|",
        ...objects.map(row),
        "",
        "## Enums",
        "",
        "| Enum | What it is | Values |",
        "|---|---|---|",
        ...enums.map(
            ([token, spec]) =>
                `| [${shortName(token)}](${shortName(token)}.md) | ${prose(summaryOf(spec.description))} | ` +
                `${(spec.enum ?? []).map((v) => code(String(v.value))).join(", ")} |`,
        ),
        "",
    ].join("\n");
}

/** Every page of the reference: file name (in docs/reference/) to Markdown. */
export function renderReference(schema: PackageSpec, find: SnippetFinder): Map<string, string> {
    const pages = new Map<string, string>([["README.md", indexPage(schema)]]);
    for (const [token] of componentsOf(schema)) pages.set(`${shortName(token)}.md`, componentPage(schema, token, find));
    const { objects, enums } = typesOf(schema);
    for (const [token, type] of objects) pages.set(`${shortName(token)}.md`, objectPage(schema, token, type));
    for (const [token, type] of enums) pages.set(`${shortName(token)}.md`, enumPage(schema, token, type));
    return pages;
}
