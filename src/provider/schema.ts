// What skymount's provider adds to the schema Pulumi infers from the TypeScript source, and what it
// reads back from the committed sdk/schema.json. Pure: no @pulumi import.

/** The Go module and import path of sdk/go/skymount (its own go.mod, written by gensdk): where releases will live. */
export const GO_IMPORT_BASE_PATH = "github.com/skymount/skymount/sdk/go/skymount";

/**
 * Where the engine downloads the provider plugin when it is not installed: the GitHub releases of
 * skymount/skymount, which hold `pulumi-resource-skymount-v<version>-<os>-<arch>.tar.gz` (npm run
 * release:build makes them). The SDKs carry it in their pulumi-plugin.json.
 */
export const PLUGIN_DOWNLOAD_URL = "github://api.github.com/skymount/skymount";

interface PackageSchema {
    pluginDownloadURL?: string;
    language?: Record<string, Record<string, unknown>>;
    resources?: Record<string, { properties?: Record<string, unknown> }>;
}

/** What the inference cannot know: where releases live, where the Go SDK lives, the Python package's name. */
export function withLanguageSettings(schema: PackageSchema): PackageSchema {
    const language = schema.language ?? {};
    return {
        ...schema,
        pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
        language: {
            ...language,
            go: { ...language.go, importBasePath: GO_IMPORT_BASE_PATH },
            python: { ...language.python, packageName: "pulumi_skymount" },
        },
    };
}

/** The outputs a component of `type` returns from Construct: its properties in the schema. */
export function componentOutputNames(schema: unknown, type: string): string[] {
    const resource = (schema as PackageSchema).resources?.[type];
    if (!resource) throw new Error(`sdk/schema.json has no resource ${type}: regenerate it (sdk/README.md)`);
    return Object.keys(resource.properties ?? {}).sort();
}
