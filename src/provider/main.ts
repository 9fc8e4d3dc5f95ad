// skymount's own provider plugin (`pulumi-resource-skymount`): what a Python or Go program talks to.
// It constructs SkyStorage, SkyVolume and SkyCompute for the engine (Construct), and serves the
// custom resources those components declare (check/diff/create/read/update/delete), because inside
// this process they register as `skymount:index:<Name>` resources of this provider
// (src/provider/resource.ts). Started by src/provider/plugin/pulumi-resource-skymount.
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import * as path from "node:path";
import { SkyCompute, SkyStorage, SkyVolume } from "../index";
import { markPluginProcess } from "../internal/optionalModule";
import { committedSchema } from "../internal/committedSchema";
import { readPackageFile } from "../internal/packageFile";
import { completeSchema, componentOutputNames } from "./schema";
import { docsUnder } from "./typeDocs";
import { PACKAGE_NAME, typeTokenOf } from "../resource/crudRegistry";
import { serveFromOwnProvider } from "../resource/managedResource";
import { managedCrud } from "../resource/ownProvider";

/** The repository root, for the schema inference: package.json, tsconfig.json and src/ live there. */
const root = path.join(__dirname, "..", "..");

const componentClasses = { SkyStorage, SkyVolume, SkyCompute };

serveFromOwnProvider();
markPluginProcess();

const packageVersion = (JSON.parse(readPackageFile("package.json")) as { version: string }).version;

// Infers the schema from the TypeScript source (the components' Args interfaces and public outputs).
// That analysis builds a TypeScript program of the whole repository and takes tens of seconds, and an
// installed plugin (a release archive, the npm package) has no TypeScript source to analyse, so it runs
// only when asked (SKYMOUNT_INFER_SCHEMA=1: regenerating sdk/schema.json, and the SDK drift test).
// Otherwise GetSchema (Pulumi YAML asks for it) and Construct read the committed sdk/schema.json.
// (Found by examples/yaml's release test: the plugin installed from its archive, inferring, answered
// GetSchema with "No entry points found".)
let inference: ComponentProvider | undefined;

function outputNames(type: string): string[] {
    return componentOutputNames(committedSchema(), type);
}

/**
 * The committed schema; or, with SKYMOUNT_INFER_SCHEMA=1, the inferred one completed (schema.ts), its
 * types described and its properties tagged from the doc comments under src/ and the SDKs' README from sdkReadme.md.
 */
async function packageSchema(): Promise<string> {
    if (process.env.SKYMOUNT_INFER_SCHEMA !== "1") return readPackageFile("sdk/schema.json");
    inference ??= new ComponentProvider({
        components: Object.values(componentClasses),
        name: PACKAGE_NAME,
        dirname: root,
        version: packageVersion,
    });
    const inferred = JSON.parse(await inference.getSchema());
    const tokens = [...Object.keys(inferred.types ?? {}), ...Object.keys(inferred.resources ?? {})];
    const names = new Set(tokens.map((token) => token.slice(token.lastIndexOf(":") + 1)));
    // TypeScript is what the inference itself loads; only get-schema needs it.
    const loaded = await import("typescript");
    const typescript = (loaded as unknown as { default?: typeof loaded }).default ?? loaded;
    const readme = readPackageFile("src/provider/sdkReadme.md");
    return JSON.stringify(completeSchema(inferred, docsUnder(typescript, path.join(root, "src"), names), readme), null, 2);
}

/**
 * A component output as one Output: a ref (a plain object whose `credentials` is a secret Output) is
 * sent whole-secret with plain fields, not as an object holding a secret. Pulumi YAML 1.25 turns an
 * object that holds a secret into a map where the secret is an empty object, so `storage: ${data.ref}`
 * reached SkyVolume as `credentials: {}`; a secret at the top is kept (`${data.ref.bucket}` is then
 * secret too). The Go SDK already makes a struct secret as a whole when one field is; SkyVolume reads
 * the fields of such a ref one by one (src/skyVolume/givenVolumes.ts).
 */
const asOneOutput = (value: unknown) => (value === undefined ? value : pulumi.output(value));

const skymountProvider: provider.Provider = {
    version: packageVersion,
    getSchema: packageSchema,
    async construct(name, type, inputs, options) {
        const entry = Object.entries(componentClasses).find(([className]) => typeTokenOf(className) === type);
        if (!entry) throw new Error(`skymount provider: unknown component type ${type}`);
        const component = new entry[1](name, inputs as never, options) as unknown as Record<string, pulumi.Output<unknown>> &
            pulumi.ComponentResource;
        return { urn: component.urn, state: Object.fromEntries(outputNames(type).map((key) => [key, asOneOutput(component[key])])) };
    },
    ...managedCrud,
};

provider.main(skymountProvider, process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
});
