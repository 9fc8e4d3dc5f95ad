// skymount's own provider's side of each managed resource: the engine's CRUD calls, in the dynamic
// provider's terms.
//
// skymount's provider accepts secrets and output values (the Node.js provider server answers
// Configure with acceptSecrets/acceptOutputs), so properties arrive wrapped: `{sig: secret, value}`,
// `{sig: output, value?, secret?}`. The CRUD logic wants the plain values a dynamic provider gets, so
// they are unwrapped on the way in, and unknown outputs become the same unknown marker a dynamic
// provider sees at preview. On the way out, every top-level property that held a secret is wrapped
// again, so checked inputs and outputs stay encrypted in state exactly as in the dynamic path.
import type * as provider from "@pulumi/pulumi/provider";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { crudOfType, ManagedCrud } from "./crudRegistry";
import { withResourceLog } from "./engineLog";

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
    const crud = crudOfType(typeOfUrn(urn));
    if (!crud) throw new Error(`skymount provider: unknown resource type ${typeOfUrn(urn)}`);
    return crud;
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
        const { changes, replaces, stables, deleteBeforeReplace } = await crud.diff(
            id,
            unwrapProperties(olds).props,
            unwrapProperties(news).props,
        );
        return { changes, replaces, stables, deleteBeforeReplace };
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
