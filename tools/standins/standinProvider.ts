// The generic core of a stand-in provider: the engine's Check/Diff/Create/Read/Update/Delete over a
// table of resource models (resourceModel.ts), every call recorded (callLog.ts). What the engine
// itself does stays the engine's: this process does not declare preview support at Configure (the
// Node.js provider server does not), so at preview the engine never calls Create and every output a
// resource does not take as an input is unknown to the program, as with the real providers.
import type * as provider from "@pulumi/pulumi/provider";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { CallMethod, recordCall, redacted } from "./callLog";
import type { FunctionModel, Props, ResourceModel } from "./resourceModel";

/** The type token and the resource's name, from its URN (urn:pulumi:stack::project::parent$type::name). */
export function parseUrn(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    const typeChain = parts[2] ?? "";
    return { type: typeChain.slice(typeChain.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

/** The plain value: the engine's secret wrappers removed (the models work on plain values). */
export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    if (object[specialSigKey] === specialSecretSig) return unwrapSecrets(object.value);
    return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, unwrapSecrets(item)]));
}

function markSecrets(outs: Props, names: readonly string[] = []): Props {
    return Object.fromEntries(
        Object.entries(outs).map(([key, value]) => [key, names.includes(key) ? { [specialSigKey]: specialSecretSig, value } : value]),
    );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function standinProvider(
    providerName: string,
    version: string,
    models: Record<string, ResourceModel>,
    functions: Record<string, FunctionModel> = {},
): provider.Provider {
    /** Runs one call, recording what it was given and what it answered (or the error). */
    async function recorded<T>(
        method: CallMethod,
        urn: string,
        id: string | undefined,
        given: Props | undefined,
        run: (model: ResourceModel, name: string) => Promise<T>,
    ): Promise<T> {
        const { type, name } = parseUrn(urn);
        const model = models[type] as ResourceModel | undefined;
        const secretNames = model?.secretOutputs ?? [];
        const inputs = given === undefined ? undefined : (redacted(given, secretNames) as Props);
        try {
            if (!model)
                throw new Error(`${providerName} stand-in: resource type ${type} is not modelled (tools/standins/${providerName}/)`);
            const result = await run(model, name);
            recordCall({ provider: providerName, method, type, name, id, inputs, result: redacted(result, secretNames) });
            return result;
        } catch (err) {
            recordCall({ provider: providerName, method, type, name, id, inputs, error: (err as Error).message });
            throw err;
        }
    }

    return {
        version,
        check: (urn, olds, news) =>
            recorded("check", urn, undefined, news, async (model, name) => {
                const inputs = model.defaults ? { ...news, ...model.defaults(news as Props, name, olds as Props | undefined) } : news;
                return { inputs, failures: model.validate?.(unwrapSecrets(inputs) as Props) ?? [] };
            }),
        diff: (id, urn, olds, news) =>
            recorded("diff", urn, id, news, async (model) => {
                const changed = Object.keys(news as Props).filter((key) => !same(unwrapSecrets(olds[key]), unwrapSecrets(news[key])));
                // An input not known yet (at preview) differs too: on a ForceNew input it means a replacement.
                return { changes: changed.length > 0, replaces: changed.filter((key) => model.replaceOn.includes(key)) };
            }),
        create: (urn, inputs) =>
            recorded("create", urn, undefined, inputs, async (model) => {
                const made = await model.create(unwrapSecrets(inputs) as Props);
                return { id: made.id, outs: markSecrets(made.outs, model.secretOutputs) };
            }),
        read: (id, urn, props) =>
            recorded("read", urn, id, props, async (model) => {
                const now = await model.read(id, unwrapSecrets(props ?? {}) as Props);
                return now === undefined ? { id: "", props: {} } : { id, props: markSecrets(now, model.secretOutputs) };
            }),
        update: (id, urn, olds, news) =>
            recorded("update", urn, id, news, async (model) => ({
                outs: markSecrets(await model.update(id, unwrapSecrets(olds) as Props, unwrapSecrets(news) as Props), model.secretOutputs),
            })),
        delete: (id, urn, props) =>
            recorded("delete", urn, id, props, async (model) => await model.delete(id, unwrapSecrets(props) as Props)),
        async invoke(token, given) {
            const fn = functions[token] as FunctionModel | undefined;
            const inputs = redacted(given) as Props;
            try {
                if (!fn) throw new Error(`${providerName} stand-in: function ${token} is not modelled (tools/standins/)`);
                const outputs = await fn.invoke(unwrapSecrets(given) as Props);
                recordCall({
                    provider: providerName,
                    method: "invoke",
                    type: token,
                    name: "",
                    inputs,
                    result: redacted(outputs, fn.secretOutputs),
                });
                return { outputs };
            } catch (err) {
                recordCall({ provider: providerName, method: "invoke", type: token, name: "", inputs, error: (err as Error).message });
                throw err;
            }
        },
    };
}
