// The dynamic provider a TypeScript program registers for a CRUD logic, and what Pulumi serializes
// of it into the state of each resource.
import type * as pulumi from "@pulumi/pulumi";
import { isRegistered, LOG_URN_INPUT, ManagedCrud, OPTIONAL_METHODS } from "./crudRegistry";
import { withResourceLog } from "./engineLog";
import { exportOf, ModuleReference, referenceTo } from "./moduleReference";

/** The dynamic provider serialized for each CRUD logic: one object per type, so Pulumi serializes it once. */
const dynamicProviders = new Map<ManagedCrud, pulumi.dynamic.ResourceProvider>();

/** The dynamic provider a TypeScript program registers for `crud`: made once, at the first resource, when its module has loaded. */
export function dynamicProviderFor(crud: ManagedCrud): pulumi.dynamic.ResourceProvider | undefined {
    if (!isRegistered(crud)) return undefined;
    let provider = dynamicProviders.get(crud);
    if (!provider) {
        const found = exportOf(crud);
        provider = found ? restoredFrom(crud, referenceTo(__filename), referenceTo(found.filename), found.name) : providerOver(crud);
        dynamicProviders.set(crud, provider);
    }
    return provider;
}

/** The URN a CRUD logic was given in LOG_URN_INPUT, if any. */
function logUrnOf(props: unknown): string | undefined {
    const urn = (props as Record<string, unknown> | undefined)?.[LOG_URN_INPUT];
    return typeof urn === "string" ? urn : undefined;
}

/** `outs` with the URN of `from` kept, so a later read or delete, which gets only the state, finds it too. */
function keepingLogUrn<T extends Record<string, unknown> | undefined>(outs: T, from: unknown): T {
    const urn = logUrnOf(from);
    return urn === undefined || outs === undefined ? outs : { ...outs, [LOG_URN_INPUT]: urn };
}

/**
 * The CRUD logic as the dynamic provider host calls it: each call given a log on the resource's URN
 * (from LOG_URN_INPUT), its messages delivered before the call returns.
 */
export function providerOver(crud: ManagedCrud): pulumi.dynamic.ResourceProvider {
    const provider: pulumi.dynamic.ResourceProvider = {
        create: (inputs) =>
            withResourceLog(logUrnOf(inputs), async (log) => {
                const result = await crud.create(inputs, log);
                return { ...result, outs: keepingLogUrn(result.outs, inputs) };
            }),
    };
    if (crud.check) {
        provider.check = async (olds, news) => {
            const result = await crud.check!(olds, news);
            return { ...result, inputs: keepingLogUrn(result.inputs, news) };
        };
    }
    if (crud.diff) provider.diff = (id, olds, news) => crud.diff!(id, olds, news);
    if (crud.read) {
        provider.read = (id, props) =>
            withResourceLog(logUrnOf(props), async (log) => {
                const result = await crud.read!(id, props, log);
                return { ...result, props: keepingLogUrn(result.props, props) };
            });
    }
    if (crud.update) {
        provider.update = (id, olds, news) =>
            withResourceLog(logUrnOf(news), async (log) => {
                const result = await crud.update!(id, olds, news, log);
                return { ...result, outs: keepingLogUrn(result.outs, news) };
            });
    }
    if (crud.delete) provider.delete = (id, props) => withResourceLog(logUrnOf(props), (log) => crud.delete!(id, props, log));
    return provider;
}

/**
 * What Pulumi serializes for a CRUD logic that a module of skymount exports: the same methods, each of
 * which requires this module and that one when it runs and calls `providerOver` there, so the state
 * holds about 1.5 KB of code per resource, not the logic's (moduleReference.ts). A path import of the
 * TypeScript sources is compiled the way Pulumi compiled the program: its ts-node, transpile only.
 */
function restoredFrom(crud: ManagedCrud, wrapper: ModuleReference, module: ModuleReference, name: string): pulumi.dynamic.ResourceProvider {
    /* eslint-disable @typescript-eslint/no-require-imports -- resolved by the host, from the program's directory */
    const load = (): pulumi.dynamic.ResourceProvider => {
        if (module.typescript && !require.extensions[".ts"]) {
            const found = require("@pulumi/pulumi/tsutils").typeScriptRequireStrings();
            require(found.tsnodeRequire).register({
                compiler: found.typescriptRequire,
                transpileOnly: true,
                skipProject: true,
                compilerOptions: { module: "commonjs", target: "ES2022", esModuleInterop: true, useDefineForClassFields: false },
            });
        }
        return require(wrapper.specifier).providerOver(require(module.specifier)[name]);
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each method passes its arguments through
    const provider: Record<string, (...args: any[]) => unknown> = { create: (...args) => load().create(...(args as [never])) };
    for (const method of OPTIONAL_METHODS) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same method of the loaded provider
        if (crud[method]) provider[method] = (...args) => (load()[method] as (...a: any[]) => unknown)(...args);
    }
    return provider as unknown as pulumi.dynamic.ResourceProvider;
}
