// What skymount's provider adds to the schema Pulumi infers from the TypeScript source, and what it
// reads back from the committed sdk/schema.json. Pure: no @pulumi import. The inference (Pulumi's
// ComponentProvider) turns interfaces into types, `pulumi.Input<T>` into non-plain properties and
// `as const` string sets into enums, and takes each property's description from its doc comment; it
// knows nothing of secrets or whole numbers (tagged `@secret`, `@integer` where the property is
// declared) and drops the doc comments of types and enums, which are added here.

/** The Go module and import path of sdk/go/skymount (its own go.mod, written by gensdk): where releases will live. */
export const GO_IMPORT_BASE_PATH = "github.com/skymount/skymount/sdk/go/skymount";

/**
 * Where the engine downloads the provider plugin when it is not installed: the GitHub releases of
 * skymount/skymount, which hold `pulumi-resource-skymount-v<version>-<os>-<arch>.tar.gz` (npm run
 * release:build makes them). The SDKs carry it in their pulumi-plugin.json.
 */
export const PLUGIN_DOWNLOAD_URL = "github://api.github.com/skymount/skymount";

/** The repository: the same (placeholder) place as the Go import path and the releases. */
const REPOSITORY = "https://github.com/skymount/skymount";

/**
 * What the package says about itself in the schema: the registries' listing (PyPI takes homepage,
 * repository, license and keywords into pyproject.toml). The license is package.json's.
 */
export const PACKAGE_METADATA = {
    displayName: "skymount",
    homepage: REPOSITORY,
    repository: REPOSITORY,
    license: "Apache-2.0",
    publisher: "skymount",
    keywords: ["pulumi", "skymount", "category/storage", "kind/component", "geesefs", "s3", "fuse"],
} as const;

interface PropertySchema {
    description?: string;
    secret?: boolean;
    [key: string]: unknown;
}

interface ObjectSchema {
    description?: string;
    properties?: Record<string, PropertySchema>;
    inputProperties?: Record<string, PropertySchema>;
    [key: string]: unknown;
}

interface PackageSchema {
    name?: string;
    pluginDownloadURL?: string;
    language?: Record<string, Record<string, unknown>>;
    resources?: Record<string, ObjectSchema>;
    types?: Record<string, ObjectSchema>;
    [key: string]: unknown;
}

/** Per interface (a type's name, or `<Component>Args` for a component's inputs), its properties' tags. */
export type PropertyTagsByOwner = ReadonlyMap<string, ReadonlyMap<string, readonly ("secret" | "integer")[]>>;

const shortName = (token: string) => token.slice(token.lastIndexOf(":") + 1);

/**
 * The tags written on the properties where they are declared (provider/typeDocs.ts): `@secret` makes a
 * property `secret: true`, so every SDK sends it as a secret; `@integer` makes a number `integer`, so
 * Go and Python take an int (TypeScript has only `number`). A tagged property the schema lacks, or an
 * `@integer` on what is not a number, throws: the schema and the source would disagree.
 */
export function withPropertyTags(schema: PackageSchema, tags: PropertyTagsByOwner): PackageSchema {
    const tagged = (token: string, owner: string, properties: Record<string, PropertySchema> | undefined) => {
        const result = { ...properties };
        for (const [name, names] of tags.get(owner) ?? []) {
            const property = result[name];
            if (!property)
                throw new Error(`${owner}.${name} is tagged ${names.map((t) => `@${t}`).join(" ")}, but ${token} has no property ${name}`);
            if (names.includes("integer") && property.type !== "number" && property.type !== "integer")
                throw new Error(
                    `${owner}.${name} is tagged @integer, but ${token}.${name} is ${String(property.type ?? property.$ref)}, not a number`,
                );
            result[name] = {
                ...property,
                ...(names.includes("integer") ? { type: "integer" } : {}),
                ...(names.includes("secret") ? { secret: true } : {}),
            };
        }
        return result;
    };
    const types = Object.fromEntries(
        Object.entries(schema.types ?? {}).map(([token, type]) =>
            tags.has(shortName(token)) ? [token, { ...type, properties: tagged(token, shortName(token), type.properties) }] : [token, type],
        ),
    );
    const resources = Object.fromEntries(
        Object.entries(schema.resources ?? {}).map(([token, resource]) => {
            const owner = `${shortName(token)}Args`;
            return tags.has(owner)
                ? [token, { ...resource, inputProperties: tagged(token, owner, resource.inputProperties) }]
                : [token, resource];
        }),
    );
    return { ...schema, types, resources };
}

/**
 * Gives each type (an object or an enum) the doc comment of its declaration, `docs` by short name
 * (provider/typeDocs.ts reads them from the source). A type's own description, if any, is kept.
 */
export function withTypeDescriptions(schema: PackageSchema, docs: ReadonlyMap<string, string>): PackageSchema {
    const types = Object.fromEntries(
        Object.entries(schema.types ?? {}).map(([token, type]) => {
            const description = type.description ?? docs.get(shortName(token));
            return [token, description === undefined ? type : { ...type, description }];
        }),
    );
    return { ...schema, types };
}

/**
 * The schema skymount publishes: the inferred one with its package metadata, language settings,
 * secrets, whole numbers and type descriptions, the last three from the source (provider/typeDocs.ts).
 * `readme` is the SDKs' README (sdkReadme.md).
 */
export function completeSchema(
    inferred: PackageSchema,
    source: { docs: ReadonlyMap<string, string>; tags: PropertyTagsByOwner },
    readme: string,
): PackageSchema {
    return withLanguageSettings(withTypeDescriptions(withPropertyTags(inferred, source.tags), source.docs), readme);
}

/**
 * What the inference cannot know: who publishes the package and where it lives, where releases
 * live, where the Go SDK lives, the Python package's name, and that it is built from pyproject.toml
 * with `readme` as its description.
 */
export function withLanguageSettings(schema: PackageSchema, readme: string): PackageSchema {
    const language = schema.language ?? {};
    return {
        ...schema,
        ...PACKAGE_METADATA,
        pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
        language: {
            ...language,
            go: { ...language.go, importBasePath: GO_IMPORT_BASE_PATH },
            python: { ...language.python, packageName: "pulumi_skymount", pyproject: { enabled: true }, readme },
        },
    };
}

/** The outputs a component of `type` returns from Construct: its properties in the schema. */
export function componentOutputNames(schema: unknown, type: string): string[] {
    const resource = (schema as PackageSchema).resources?.[type];
    if (!resource) throw new Error(`sdk/schema.json has no resource ${type}: regenerate it (sdk/README.md)`);
    return Object.keys(resource.properties ?? {}).sort();
}
