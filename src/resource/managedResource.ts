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

/** The package's name: the first part of every type token skymount's provider serves. */
export const PACKAGE_NAME = "skymount";

/** Set once, by the provider entry (src/provider/main.ts), before any component is constructed. */
let servedByOwnProvider = false;

/** Make every managed resource constructed from now on a custom resource of skymount's own provider. */
export function serveFromOwnProvider(): void {
    servedByOwnProvider = true;
}

/** CRUD logic by type token, filled as resource modules load; what the provider dispatches to. */
const crudByType = new Map<string, pulumi.dynamic.ResourceProvider>();

export function typeTokenOf(name: string): string {
    return `${PACKAGE_NAME}:index:${name}`;
}

/**
 * The base class of a managed resource: registers `crud` as the logic of `skymount:index:<name>` and
 * returns the class to extend.
 */
export function managedResource(name: string, crud: pulumi.dynamic.ResourceProvider): typeof ManagedResource {
    const token = typeTokenOf(name);
    if (crudByType.has(token) && crudByType.get(token) !== crud) throw new Error(`${token}: defined twice`);
    crudByType.set(token, crud);
    return ManagedResource;
}

export class ManagedResource extends pulumi.CustomResource {
    /** Same arguments as `pulumi.dynamic.Resource`, so a resource moves here without touching its constructor. */
    constructor(
        crud: pulumi.dynamic.ResourceProvider,
        name: string,
        props: pulumi.Inputs,
        opts: pulumi.CustomResourceOptions | undefined,
        module: string,
        type: string,
    ) {
        if (!servedByOwnProvider) {
            // The dynamic resource itself, built for the subclass (new.target), becomes `this`: a TypeScript
            // program gets exactly the resource, type token and state it always had.
            return Reflect.construct(pulumi.dynamic.Resource, [crud, name, props, opts, module, type], new.target);
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

function crudFor(urn: string): pulumi.dynamic.ResourceProvider {
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
    async create(urn, inputs) {
        const n = unwrapProperties(inputs);
        const result = await crudFor(urn).create(n.props);
        return { id: result.id, outs: wrapSecrets(result.outs, n.secretKeys) };
    },
    async read(id, urn, props) {
        const crud = crudFor(urn);
        if (!crud.read) return { id, props };
        const p = unwrapProperties(props);
        const result = await crud.read(id, p.props);
        return { id: result.id, props: wrapSecrets(result.props, p.secretKeys) };
    },
    async update(id, urn, olds, news) {
        const crud = crudFor(urn);
        if (!crud.update) return { outs: {} };
        const n = unwrapProperties(news);
        const result = await crud.update(id, unwrapProperties(olds).props, n.props);
        return { outs: wrapSecrets(result.outs, n.secretKeys) };
    },
    async delete(id, urn, props) {
        const crud = crudFor(urn);
        if (crud.delete) await crud.delete(id, unwrapProperties(props).props);
    },
};
