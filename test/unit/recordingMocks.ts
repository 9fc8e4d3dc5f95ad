// Pulumi mocks that record every resource a component registers, for tests that assert the declared
// graph (names, types, inputs) without a cloud. Each test file runs in its own process, so the mocks
// and the record are the file's own.
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/**
 * Installs the mocks; every registration is appended to `registered`. A resource's state is its inputs
 * plus `computed(name)`: the outputs a cloud would fill in that the graph reads. Invokes are refused unless `invokes` answers them by token.
 */
export async function recordRegistrations(
    registered: Registered[],
    computed: (name: string) => Record<string, unknown>,
    invokes: Record<string, Record<string, unknown>> = {},
): Promise<void> {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                return { id: `${args.name}-id`, state: { name: args.name, ...args.inputs, ...computed(args.name) } };
            },
            call: (args) => {
                if (args.token in invokes) return invokes[args.token];
                throw new Error(`unexpected invoke ${args.token}`);
            },
        },
        "project",
        "stack",
        false,
    );
}

/** Registration is asynchronous: waits (up to 10 s) for the resource `find` picks. */
export async function until<T>(what: string, find: () => T | undefined): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
        const found = find();
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`${what} was never registered`);
        await new Promise((r) => setTimeout(r, 20));
    }
}
