// What a stand-in knows about one resource type: its defaults, the inputs the real provider replaces
// the resource on, and its lifecycle against the stand-in's data plane. The generic provider
// (standinProvider.ts) turns a set of these into the engine's Check/Diff/Create/Read/Update/Delete.
export type Props = Record<string, unknown>;

export interface ResourceModel {
    /** Inputs the real provider fills in (added to the given ones); `name` is the resource's name in the program, `olds` its last inputs. */
    defaults?(inputs: Props, name: string, olds: Props | undefined): Props;
    /** Input problems the real provider reports at Check, as "property: reason". */
    validate?(inputs: Props): Array<{ property: string; reason: string }>;
    /** The inputs whose change makes the real provider replace the resource (ForceNew). */
    replaceOn: readonly string[];
    /** Creates the resource (data plane included): its id and all its outputs. */
    create(inputs: Props): Promise<{ id: string; outs: Props }>;
    /** The resource as it is now, or undefined when it is gone. */
    read(id: string, state: Props): Promise<Props | undefined>;
    /** Applies changed inputs in place (only inputs outside `replaceOn` reach it): the new outputs. */
    update(id: string, olds: Props, news: Props): Promise<Props>;
    delete(id: string, state: Props): Promise<void>;
    /** Output properties holding secrets: never recorded, and marked secret in the answer. */
    secretOutputs?: readonly string[];
}

/** A function the provider serves (an invoke, such as Azure's listStorageAccountKeys): its outputs. */
export interface FunctionModel {
    invoke(inputs: Props): Promise<Props>;
    /** Output properties holding secrets: never recorded. */
    secretOutputs?: readonly string[];
}

/** A model with no data plane: outputs are the inputs plus what `computed` derives; nothing to read back. */
export function stateOnlyModel(options: {
    replaceOn: readonly string[];
    id: (inputs: Props) => string;
    computed?: (inputs: Props, id: string) => Props;
    defaults?: ResourceModel["defaults"];
    secretOutputs?: readonly string[];
    /** Runs before the state is written (e.g. the bucket it configures must exist). */
    precondition?: (inputs: Props) => Promise<void>;
    /** Whether the resource still exists (e.g. its bucket is still there); without it, always. */
    exists?: (state: Props) => Promise<boolean>;
}): ResourceModel {
    return {
        defaults: options.defaults,
        replaceOn: options.replaceOn,
        secretOutputs: options.secretOutputs,
        async create(inputs) {
            await options.precondition?.(inputs);
            const id = options.id(inputs);
            return { id, outs: { ...inputs, ...options.computed?.(inputs, id) } };
        },
        read: async (_id, state) => (options.exists === undefined || (await options.exists(state)) ? state : undefined),
        // Computed outputs (generated ids, keys) stay what Create made them.
        async update(_id, olds, news) {
            await options.precondition?.(news);
            return { ...olds, ...news };
        },
        async delete() {},
    };
}
