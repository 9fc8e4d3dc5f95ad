// One definition, two registrations. Each skymount-managed resource (RemoteCommand, BucketSync, …) is
// defined once by its CRUD logic, a `pulumi.dynamic.ResourceProvider`, and registers:
//
// - in a TypeScript program (the default): as the dynamic resource it always was, type
//   `pulumi-nodejs:dynamic/skymount:<Name>`, with its serialized provider in state. Nothing to install.
// - inside skymount's own provider process (a component constructed for Python, Go, …): as a custom
//   resource `skymount:index:<Name>` that the engine sends back to this same provider, which runs the
//   CRUD in its own process. A dynamic resource would not work there: its serialized closure runs in a
//   `pulumi-resource-pulumi-nodejs` process started in the consumer's directory, where neither
//   @pulumi/pulumi nor skymount's dependencies are (pulumi/pulumi#5455; docs/ARCHITECTURE.md).
//
// A resource opts in with two lines: import `managedResource`, and extend
// `managedResource("<Name>", <crud>)` instead of `pulumi.dynamic.Resource`. The constructor keeps the
// dynamic resource's signature, so its `super(...)` call does not change.
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as path from "node:path";
import { ResourceLog, withResourceLog } from "./engineLog";

/** The package's name: the first part of every type token skymount's provider serves. */
export const PACKAGE_NAME = "skymount";

/** Set once, by the provider entry (src/provider/main.ts), before any component is constructed. */
let servedByOwnProvider = false;

/** Make every managed resource constructed from now on a custom resource of skymount's own provider. */
export function serveFromOwnProvider(): void {
    servedByOwnProvider = true;
}

/**
 * A resource's CRUD logic: a dynamic provider whose create, read, update and delete may take, last,
 * where to report what they do (engineLog.ts). Both registrations pass it.
 */
export interface ManagedCrud {
    check?(olds: any, news: any): Promise<pulumi.dynamic.CheckResult>; // eslint-disable-line @typescript-eslint/no-explicit-any
    diff?(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult>; // eslint-disable-line @typescript-eslint/no-explicit-any
    create(inputs: any, log?: ResourceLog): Promise<pulumi.dynamic.CreateResult>; // eslint-disable-line @typescript-eslint/no-explicit-any
    read?(id: string, props?: any, log?: ResourceLog): Promise<pulumi.dynamic.ReadResult>; // eslint-disable-line @typescript-eslint/no-explicit-any
    update?(id: string, olds: any, news: any, log?: ResourceLog): Promise<pulumi.dynamic.UpdateResult>; // eslint-disable-line @typescript-eslint/no-explicit-any
    delete?(id: string, props: any, log?: ResourceLog): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * The input that tells a dynamic resource's CRUD its own URN, so it can log on itself: the dynamic
 * provider host passes the CRUD only properties (engineLog.ts). Set only for resources registered with
 * `{ logs: true }`; skymount's own provider gets the URN from the engine and sets nothing.
 */
export const LOG_URN_INPUT = "logUrn";

/** CRUD logic by type token, filled as resource modules load; what the provider dispatches to. */
const crudByType = new Map<string, ManagedCrud>();
/** The dynamic provider serialized for each CRUD logic: one object per type, so Pulumi serializes it once. */
const dynamicProviders = new Map<ManagedCrud, pulumi.dynamic.ResourceProvider>();
/** The CRUD logics that log on their resource, and so get LOG_URN_INPUT in a TypeScript program. */
const logging = new Set<ManagedCrud>();

export function typeTokenOf(name: string): string {
    return `${PACKAGE_NAME}:index:${name}`;
}

/**
 * The base class of a managed resource: registers `crud` as the logic of `skymount:index:<name>` and
 * returns the class to extend.
 */
export function managedResource(name: string, crud: ManagedCrud, options: { logs?: boolean } = {}): typeof ManagedResource {
    const token = typeTokenOf(name);
    if (crudByType.has(token) && crudByType.get(token) !== crud) throw new Error(`${token}: defined twice`);
    crudByType.set(token, crud);
    if (options.logs) logging.add(crud);
    return ManagedResource;
}

/** The dynamic provider a TypeScript program registers for `crud`: made once, at the first resource, when its module has loaded. */
export function dynamicProviderFor(crud: ManagedCrud): pulumi.dynamic.ResourceProvider | undefined {
    if (![...crudByType.values()].includes(crud)) return undefined;
    let provider = dynamicProviders.get(crud);
    if (!provider) dynamicProviders.set(crud, (provider = dynamicProviderOf(crud)));
    return provider;
}

/** The root of the installed skymount package (…/node_modules/skymount/), or undefined when running from a checkout. */
const installedRoot = ((): string | undefined => {
    const root = path.join(__dirname, "..", "..");
    return root.split(path.sep).includes("node_modules") ? root + path.sep : undefined;
})();

/** Where an installed skymount's module exports `crud`: that module's exports and the name. */
export function installedExportOf(crud: ManagedCrud): { exports: Record<string, unknown>; name: string } | undefined {
    if (!installedRoot) return undefined;
    for (const loaded of Object.values(require.cache)) {
        // Only skymount's own modules: reading another package's exports may load it (lazy getters).
        if (!loaded?.filename.startsWith(installedRoot) || loaded.filename.startsWith(path.join(installedRoot, "node_modules"))) continue;
        const exports = loaded.exports as Record<string, unknown> | undefined;
        if (exports === null || typeof exports !== "object") continue;
        const name = Object.keys(exports).find((key) => exports[key] === crud);
        if (name) return { exports, name };
    }
    return undefined;
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
 * The dynamic provider a TypeScript program registers: the CRUD logic, each call given a log on the
 * resource's URN (from LOG_URN_INPUT) and its messages delivered before the call returns. It runs as
 * a serialized closure: only arrow functions over what they capture (no `bind`).
 *
 * Pulumi keeps the serialized closure in the state of every resource, inputs and outputs. Where
 * skymount is installed (under node_modules, as users have it), the closure reaches the CRUD logic
 * through the exports of the module that defines it, which Pulumi serializes as a `require` of that
 * module (package.json exports `./dist/*.js`): about 3.6 KB per resource instead of the logic's whole
 * code (tens of KiB, times every command on every host). From a checkout the logic is serialized whole.
 */
function dynamicProviderOf(given: ManagedCrud): pulumi.dynamic.ResourceProvider {
    const installed = installedExportOf(given);
    const source = installed?.exports;
    const name = installed?.name;
    const local = installed ? undefined : given;
    const crudOf = (): ManagedCrud => local ?? (source![name!] as ManagedCrud);
    const crud = given;
    const provider: pulumi.dynamic.ResourceProvider = {
        create: (inputs) =>
            withResourceLog(logUrnOf(inputs), async (log) => {
                const result = await crudOf().create(inputs, log);
                return { ...result, outs: keepingLogUrn(result.outs, inputs) };
            }),
    };
    if (crud.check) {
        provider.check = async (olds, news) => {
            const result = await crudOf().check!(olds, news);
            return { ...result, inputs: keepingLogUrn(result.inputs, news) };
        };
    }
    if (crud.diff) provider.diff = (id, olds, news) => crudOf().diff!(id, olds, news);
    if (crud.read) {
        provider.read = (id, props) =>
            withResourceLog(logUrnOf(props), async (log) => {
                const result = await crudOf().read!(id, props, log);
                return { ...result, props: keepingLogUrn(result.props, props) };
            });
    }
    if (crud.update) {
        provider.update = (id, olds, news) =>
            withResourceLog(logUrnOf(news), async (log) => {
                const result = await crudOf().update!(id, olds, news, log);
                return { ...result, outs: keepingLogUrn(result.outs, news) };
            });
    }
    if (crud.delete) provider.delete = (id, props) => withResourceLog(logUrnOf(props), (log) => crudOf().delete!(id, props, log));
    return provider;
}

/**
 * The URN a dynamic resource will have: known before it registers, so it can be one of its inputs. A
 * Promise, not an Output of the parent's URN: an Output would make the resource depend on its parent
 * component, whose dependencies are its children, this one included.
 */
function dynamicUrnOf(name: string, module: string, type: string, parent: pulumi.Resource | undefined): Promise<string> {
    const urn = pulumi.createUrn(name, `pulumi-nodejs:dynamic/${module}:${type}`, parent);
    return new Promise((resolve) => urn.apply(resolve));
}

export class ManagedResource extends pulumi.CustomResource {
    /** Same arguments as `pulumi.dynamic.Resource`, so a resource moves here without touching its constructor. */
    constructor(
        crud: ManagedCrud,
        name: string,
        props: pulumi.Inputs,
        opts: pulumi.CustomResourceOptions | undefined,
        module: string,
        type: string,
    ) {
        if (!servedByOwnProvider) {
            // The dynamic resource itself, built for the subclass (new.target), becomes `this`: a TypeScript
            // program gets the resource and type token it always had; one that logs has one input more.
            const provider = dynamicProviderFor(crud);
            if (!provider) throw new Error(`${module}:${type}: not registered with managedResource("${type}", …)`);
            const withUrn = logging.has(crud) ? { ...props, [LOG_URN_INPUT]: dynamicUrnOf(name, module, type, opts?.parent) } : props;
            return Reflect.construct(pulumi.dynamic.Resource, [provider, name, withUrn, opts, module, type], new.target);
        }
        if (module !== PACKAGE_NAME || crudByType.get(typeTokenOf(type)) !== crud) {
            throw new Error(`${module}:${type}: not registered with managedResource("${type}", …)`);
        }
        super(typeTokenOf(type), name, props, opts);
    }
}

// ---- The provider side: the engine's CRUD calls, in the dynamic provider's terms ----
//
// skymount's provider accepts secrets and output values (the Node.js provider server answers
// Configure with acceptSecrets/acceptOutputs), so properties arrive wrapped: `{sig: secret, value}`,
// `{sig: output, value?, secret?}`. The CRUD logic wants the plain values a dynamic provider gets, so
// they are unwrapped on the way in, and unknown outputs become the same unknown marker a dynamic
// provider sees at preview. On the way out, every top-level property that held a secret is wrapped
// again, so checked inputs and outputs stay encrypted in state exactly as in the dynamic path.

interface Unwrapped {
    value: unknown;
    secret: boolean;
}

function unwrap(wire: unknown): Unwrapped {
    if (Array.isArray(wire)) {
        const items = wire.map(unwrap);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (wire === null || typeof wire !== "object") return { value: wire, secret: false };
    const record = wire as Record<string, unknown>;
    const sig = record[rpc.specialSigKey];
    if (sig === rpc.specialSecretSig) return { value: unwrap(record.value).value, secret: true };
    if (sig === rpc.specialOutputValueSig) {
        const inner = "value" in record ? unwrap(record.value) : { value: rpc.unknownValue, secret: false };
        return { value: inner.value, secret: inner.secret || record.secret === true };
    }
    const entries = Object.entries(record).map(([k, v]) => [k, unwrap(v)] as const);
    return { value: Object.fromEntries(entries.map(([k, u]) => [k, u.value])), secret: entries.some(([, u]) => u.secret) };
}

/** Plain properties, and the names of the top-level ones that held a secret anywhere inside. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a dynamic provider's properties are untyped
function unwrapProperties(wire: Record<string, unknown> | undefined): { props: Record<string, any>; secretKeys: Set<string> } {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a dynamic provider's properties are untyped
    const props: Record<string, any> = {};
    const secretKeys = new Set<string>();
    for (const [key, value] of Object.entries(wire ?? {})) {
        const u = unwrap(value);
        props[key] = u.value;
        if (u.secret) secretKeys.add(key);
    }
    return { props, secretKeys };
}

function wrapSecrets(props: Record<string, unknown> | undefined, secretKeys: Set<string>): Record<string, unknown> {
    const wire: Record<string, unknown> = { ...props };
    for (const key of secretKeys) {
        if (wire[key] !== undefined) wire[key] = { [rpc.specialSigKey]: rpc.specialSecretSig, value: wire[key] };
    }
    return wire;
}

/** The type token of a URN: `urn:pulumi:<stack>::<project>::<parent types$>type::<name>`. */
export function typeOfUrn(urn: string): string {
    return urn.split("::")[2].split("$").pop()!;
}

function crudFor(urn: string): ManagedCrud {
    const crud = crudByType.get(typeOfUrn(urn));
    if (!crud) throw new Error(`skymount provider: unknown resource type ${typeOfUrn(urn)}`);
    return crud;
}

/** The type tokens served, for the provider's own checks and tests. */
export function managedTypes(): string[] {
    return [...crudByType.keys()].sort();
}

/**
 * The provider's check/diff/create/read/update/delete: each calls the resource's dynamic-provider
 * logic with plain values and returns what the dynamic provider host would (same defaults when a
 * method is absent: check passes inputs through, read returns the state it got).
 */
export const managedCrud: Required<Pick<provider.Provider, "check" | "diff" | "create" | "read" | "update" | "delete">> = {
    async check(urn, olds, news) {
        const crud = crudFor(urn);
        const n = unwrapProperties(news);
        const result = crud.check ? await crud.check(unwrapProperties(olds).props, n.props) : { inputs: n.props };
        return { inputs: wrapSecrets(result.inputs ?? n.props, n.secretKeys), failures: result.failures };
    },
    async diff(id, urn, olds, news) {
        const crud = crudFor(urn);
        if (!crud.diff) return {};
        const result = await crud.diff(id, unwrapProperties(olds).props, unwrapProperties(news).props);
        return {
            changes: result.changes,
            replaces: result.replaces,
            stables: result.stables,
            deleteBeforeReplace: result.deleteBeforeReplace,
        };
    },
    // The engine gives this provider each resource's URN: its log needs no input.
    async create(urn, inputs) {
        const n = unwrapProperties(inputs);
        const result = await withResourceLog(urn, (log) => crudFor(urn).create(n.props, log));
        return { id: result.id, outs: wrapSecrets(result.outs, n.secretKeys) };
    },
    async read(id, urn, props) {
        const crud = crudFor(urn);
        if (!crud.read) return { id, props };
        const p = unwrapProperties(props);
        const result = await withResourceLog(urn, (log) => crud.read!(id, p.props, log));
        return { id: result.id, props: wrapSecrets(result.props, p.secretKeys) };
    },
    async update(id, urn, olds, news) {
        const crud = crudFor(urn);
        if (!crud.update) return { outs: {} };
        const n = unwrapProperties(news);
        const result = await withResourceLog(urn, (log) => crud.update!(id, unwrapProperties(olds).props, n.props, log));
        return { outs: wrapSecrets(result.outs, n.secretKeys) };
    },
    async delete(id, urn, props) {
        const crud = crudFor(urn);
        if (crud.delete) await withResourceLog(urn, (log) => crud.delete!(id, unwrapProperties(props).props, log));
    },
};
