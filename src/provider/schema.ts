// What skymount's provider adds to the schema Pulumi infers from the TypeScript source, and what it
// reads back from the committed sdk/schema.json. Pure: no @pulumi import. The inference (Pulumi's
// ComponentProvider) turns interfaces into types, `pulumi.Input<T>` into non-plain properties and
// `as const` string sets into enums, and takes each property's description from its doc comment; it
// knows nothing of secrets and drops the doc comments of types and enums, which are added here.

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

/**
 * The properties that hold keys, per type or component (by short name): `secret: true` in the schema,
 * so every SDK sends them as secrets. Credentials in `StorageRef` are secret as a whole and by field.
 */
export const SECRET_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
    StorageRef: ["credentials"],
    StorageCredentials: ["accessKey", "secretKey"],
    S3Compatible: ["accessKey", "secretKey"],
    AzureStorage: ["accountKey"],
    SshHost: ["privateKey"],
    SkyCompute: ["sshPrivateKey"],
};

/**
 * The properties that take whole numbers, per type or component (by short name): `integer` in the
 * schema, so Go takes an int and Python an int (TypeScript has only `number`, which the inference
 * maps to `number`). Validation refuses a fraction for each.
 */
export const WHOLE_NUMBER_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
    SshHost: ["port"],
    SkyCompute: ["nodes"],
    Geesefs: ["memoryLimitMb", "statCacheTtlSeconds", "cacheSizeMb", "uid", "gid"],
};

const shortName = (token: string) => token.slice(token.lastIndexOf(":") + 1);

/**
 * Changes each listed property of the types' properties and the components' inputs with `change`;
 * `list` names the list in errors: a listed property, type or component that is missing throws, so a
 * rename cannot drop a secret or an integer silently.
 */
function withListed(
    schema: PackageSchema,
    listed: Readonly<Record<string, readonly string[]>>,
    list: string,
    change: (property: PropertySchema, where: string) => PropertySchema,
): PackageSchema {
    const changed = (owner: string, properties: Record<string, PropertySchema> | undefined, names: readonly string[]) => {
        const result = { ...properties };
        for (const name of names) {
            if (!result[name]) throw new Error(`${list}: ${owner} has no property ${name}`);
            result[name] = change(result[name], `${owner}.${name}`);
        }
        return result;
    };
    const seen = new Set<string>();
    const types = Object.fromEntries(
        Object.entries(schema.types ?? {}).map(([token, type]) => {
            const names = listed[shortName(token)];
            if (!names) return [token, type];
            seen.add(shortName(token));
            return [token, { ...type, properties: changed(token, type.properties, names) }];
        }),
    );
    const resources = Object.fromEntries(
        Object.entries(schema.resources ?? {}).map(([token, resource]) => {
            const names = listed[shortName(token)];
            if (!names) return [token, resource];
            seen.add(shortName(token));
            return [token, { ...resource, inputProperties: changed(token, resource.inputProperties, names) }];
        }),
    );
    const missing = Object.keys(listed).filter((name) => !seen.has(name));
    if (missing.length) throw new Error(`${list}: no type or component ${missing.join(", ")} in the schema`);
    return { ...schema, types, resources };
}

/** Marks SECRET_PROPERTIES secret in the types' properties and the components' inputs; a listed property that is missing throws. */
export function withSecrets(schema: PackageSchema): PackageSchema {
    return withListed(schema, SECRET_PROPERTIES, "SECRET_PROPERTIES", (property) => ({ ...property, secret: true }));
}

/** Makes WHOLE_NUMBER_PROPERTIES `integer`; a listed property that is missing, or is not a number, throws. */
export function withWholeNumbers(schema: PackageSchema): PackageSchema {
    return withListed(schema, WHOLE_NUMBER_PROPERTIES, "WHOLE_NUMBER_PROPERTIES", (property, where) => {
        if (property.type !== "number" && property.type !== "integer")
            throw new Error(`WHOLE_NUMBER_PROPERTIES: ${where} is ${String(property.type ?? property.$ref)}, not a number`);
        return { ...property, type: "integer" };
    });
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
 * secrets, whole numbers and type descriptions. `readme` is the SDKs' README (sdkReadme.ts).
 */
export function completeSchema(inferred: PackageSchema, docs: ReadonlyMap<string, string>, readme: string): PackageSchema {
    return withLanguageSettings(withTypeDescriptions(withWholeNumbers(withSecrets(inferred)), docs), readme);
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
