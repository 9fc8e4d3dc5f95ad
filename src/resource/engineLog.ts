// Messages from a managed resource's CRUD to the Pulumi engine, shown on that resource while it works.
//
// A dynamic provider has no connection to the engine: `pulumi.log.info` there falls back to
// console.log, and the engine shows a provider's stdout and stderr with no resource (on the stack),
// as it arrives (pulumi/pulumi#6065, #18249; reproduced with @pulumi/pulumi and the CLI 3.258). But
// the engine starts every provider, the dynamic provider host included, with its own address as the
// last argument, and its Log RPC takes a URN: a message logged there with the resource's URN is a
// diagnostic on that resource, and `ephemeral` makes it a status line (the resource's row in the
// live display, a line in non-interactive output, not kept in the final Diagnostics). So each CRUD
// call opens its own client to that address. Where the engine or the URN is unknown (a unit test),
// messages go to the console.
//
// Modules load when a log is opened, and nothing here is shared between calls.

/** Where a resource's CRUD reports what it does. Sending never fails the operation. */
export interface ResourceLog {
    /** A message kept in the resource's diagnostics. */
    info(message: string): void;
    /** A warning on the resource. */
    warn(message: string): void;
    /** A status line: shown on the resource while it works, replaced by the next, not kept. */
    status(message: string): void;
    /** Resolves when everything sent so far has been delivered (or given up on). */
    flush(): Promise<void>;
    /** Releases the connection; call after flush. */
    close(): void;
}

/** No engine: info to stdout, warnings to stderr (the engine shows both on the stack), status lines dropped. */
export const consoleLog: ResourceLog = {
    info: (message) => console.log(message),
    warn: (message) => console.error(`warning: ${message}`),
    status: () => undefined,
    flush: async () => undefined,
    close: () => undefined,
};

/** The engine's address among a provider's arguments: the last `host:port` (flags such as `--logtostderr` come first). */
export function engineAddressOf(argv: string[]): string | undefined {
    return [...argv].reverse().find((arg) => /^[\w.-]+:\d+$/.test(arg) || /^\[[\da-fA-F:]+\]:\d+$/.test(arg));
}

/** The longest message sent: a runaway line of output must not become a megabyte diagnostic. */
const MAX_MESSAGE_CHARS = 2000;

/** A log to the engine for the resource `urn`, or the console when there is no engine or no URN. */
export function openResourceLog(urn: string | undefined, argv: string[] = process.argv.slice(2)): ResourceLog {
    const address = engineAddressOf(argv);
    if (!urn || !address) return consoleLog;
    let client: EngineClient;
    let proto: EngineProto;
    try {
        const modules = engineModules();
        proto = modules.proto;
        client = new modules.services.EngineClient(address, modules.grpc.credentials.createInsecure());
    } catch {
        return consoleLog;
    }
    // One message at a time, in order, as @pulumi/pulumi's own log does.
    let chain: Promise<void> = Promise.resolve();
    const send = (severity: number, message: string, ephemeral: boolean) => {
        const text = message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 3)}...` : message;
        chain = chain.then(
            () =>
                new Promise<void>((resolve) => {
                    const request = new proto.LogRequest();
                    request.setSeverity(severity);
                    request.setMessage(text);
                    request.setUrn(urn);
                    request.setEphemeral(ephemeral);
                    // Not delivered (the engine went away): dropped, never an error of the operation.
                    client.log(request, () => resolve());
                }),
        );
    };
    return {
        info: (message) => send(proto.LogSeverity.INFO, message, false),
        warn: (message) => send(proto.LogSeverity.WARNING, message, false),
        status: (message) => send(proto.LogSeverity.INFO, message, true),
        flush: () => chain,
        close: () => client.close(),
    };
}

/**
 * @pulumi/pulumi's generated engine client, its messages, and the grpc-js it was generated against.
 * Where modules are files (a program, the dynamic provider host, the plugin from a checkout or npm),
 * grpc-js is resolved next to @pulumi/pulumi: a program may hold two copies, and the client takes only
 * its own copy's credentials. The standalone plugin is one bundled script whose `require` knows only
 * Node's built-ins (no `require.resolve`): there each module has one copy, required by the name the
 * bundler resolved.
 */
function engineModules(): { grpc: EngineGrpc; services: EngineServices; proto: EngineProto } {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const proto = require("@pulumi/pulumi/proto/engine_pb");
    if (typeof require.resolve !== "function")
        return { grpc: require("@grpc/grpc-js"), services: require("@pulumi/pulumi/proto/engine_grpc_pb"), proto };
    const services = require.resolve("@pulumi/pulumi/proto/engine_grpc_pb");
    return { grpc: require(require.resolve("@grpc/grpc-js", { paths: [services] })), services: require(services), proto };
    /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Runs `work` with a log for `urn`, then delivers what it logged before returning (or throwing). */
export async function withResourceLog<T>(urn: string | undefined, work: (log: ResourceLog) => Promise<T>): Promise<T> {
    const log = openResourceLog(urn);
    try {
        return await work(log);
    } finally {
        await log.flush();
        log.close();
    }
}

// The generated gRPC code's shapes, as far as they are used here.
interface EngineClient {
    log(request: unknown, callback: (err: unknown) => void): void;
    close(): void;
}
interface EngineGrpc {
    credentials: { createInsecure(): unknown };
}
interface EngineServices {
    EngineClient: new (address: string, credentials: unknown) => EngineClient;
}
interface EngineProto {
    LogRequest: new () => {
        setSeverity(s: number): void;
        setMessage(m: string): void;
        setUrn(u: string): void;
        setEphemeral(e: boolean): void;
    };
    LogSeverity: { INFO: number; WARNING: number };
}
