// A managed resource's log reaches the engine's Log RPC with the resource's URN: a fake engine (the
// engine's gRPC service, in this process) records the requests. Without an engine address or a URN
// the log is the console. And the dynamic provider a TypeScript program registers passes each CRUD
// call a log on the URN from the `logUrn` input, and keeps that input in the outputs for read and delete.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { consoleLog, engineAddressOf, openResourceLog, withResourceLog } from "../../src/resource/engineLog";

/* eslint-disable @typescript-eslint/no-require-imports */
const services = require.resolve("@pulumi/pulumi/proto/engine_grpc_pb");
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [services] })) as typeof import("@grpc/grpc-js");
const engineService = require(services).EngineService;
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

interface Received {
    severity: number;
    message: string;
    urn: string;
    ephemeral: boolean;
}

const URN = "urn:pulumi:dev::proj::skymount:index:SkyStorage$pulumi-nodejs:dynamic/skymount:BucketSync::data-sync-source";

describe("a resource's log to the engine", () => {
    const received: Received[] = [];
    const server = new grpc.Server();
    let address = "";

    before(async () => {
        server.addService(engineService, {
            log: (call: { request: Record<string, () => unknown> }, callback: (err: null, reply: unknown) => void) => {
                const r = call.request;
                received.push({
                    severity: r.getSeverity() as number,
                    message: r.getMessage() as string,
                    urn: r.getUrn() as string,
                    ephemeral: r.getEphemeral() as boolean,
                });
                callback(null, new emptyproto.Empty());
            },
        });
        const port = await new Promise<number>((resolve, reject) =>
            server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
        );
        address = `127.0.0.1:${port}`;
    });

    after(() => server.forceShutdown());

    it("finds the engine's address: the last host:port among the provider's arguments", () => {
        assert.equal(engineAddressOf(["127.0.0.1:4000"]), "127.0.0.1:4000");
        assert.equal(engineAddressOf(["--logtostderr", "-v=9", "--tracing", "file:/x", "127.0.0.1:4000"]), "127.0.0.1:4000");
        assert.equal(engineAddressOf(["[::1]:4000"]), "[::1]:4000");
        assert.equal(engineAddressOf([]), undefined);
        assert.equal(engineAddressOf(["--logtostderr"]), undefined);
    });

    it("sends info, warnings and status lines in order, on the URN, status lines ephemeral", async () => {
        received.length = 0;
        const log = openResourceLog(URN, ["--logtostderr", address]);
        log.status("1/3 files");
        log.status("2/3 files");
        log.warn("slow");
        log.info("uploaded 3/3 files");
        await log.flush();
        log.close();
        assert.deepEqual(
            received.map((r) => [r.message, r.urn, r.ephemeral, r.severity]),
            [
                ["1/3 files", URN, true, 1],
                ["2/3 files", URN, true, 1],
                ["slow", URN, false, 2],
                ["uploaded 3/3 files", URN, false, 1],
            ],
        );
    });

    it("cuts a runaway message, and never fails when the engine is gone", async () => {
        received.length = 0;
        await withResourceLog(URN, async () => undefined); // nothing said, nothing sent
        const log = openResourceLog(URN, [address]);
        log.info("x".repeat(10_000));
        await log.flush();
        log.close();
        assert.equal(received.length, 1);
        assert.equal(received[0].message.length, 2000);
        const nobody = openResourceLog(URN, ["127.0.0.1:1"]);
        nobody.info("lost");
        await nobody.flush();
        nobody.close();
    });

    it("skymount's own provider opens each call's log on the URN the engine sent", async () => {
        const { managedResource } = await import("../../src/resource/managedResource");
        const { managedCrud } = await import("../../src/resource/ownProvider");
        managedResource("OwnLogProbe", {
            async create(_inputs: unknown, log?: import("../../src/resource/engineLog").ResourceLog) {
                log!.status("halfway");
                log!.info("done");
                return { id: "id", outs: {} };
            },
        });
        const urn = "urn:pulumi:dev::proj::skymount:index:SkyVolume$skymount:index:OwnLogProbe::x";
        received.length = 0;
        process.argv.push(address);
        try {
            await managedCrud.create(urn, {});
        } finally {
            process.argv.pop();
        }
        assert.deepEqual(
            received.map((r) => [r.message, r.urn, r.ephemeral]),
            [
                ["halfway", urn, true],
                ["done", urn, false],
            ],
        );
    });

    it("without an engine address or a URN, it is the console", () => {
        assert.equal(openResourceLog(undefined, [address]), consoleLog);
        assert.equal(openResourceLog(URN, []), consoleLog);
    });
});

describe("the dynamic provider of a logging resource", () => {
    it("gives each call a log on the URN it was given as an input, and keeps that input in the outputs", async () => {
        const { managedResource } = await import("../../src/resource/managedResource");
        const { dynamicProviderFor } = await import("../../src/resource/dynamicProvider");
        const { LOG_URN_INPUT } = await import("../../src/resource/crudRegistry");
        const seen: Array<{ method: string; props: unknown; log: unknown }> = [];
        const crud = {
            async check(_olds: unknown, news: Record<string, unknown>) {
                return { inputs: { kept: news.kept } };
            },
            async create(inputs: unknown, log?: unknown) {
                seen.push({ method: "create", props: inputs, log });
                return { id: "id", outs: { made: true } };
            },
            async delete(_id: string, props: unknown, log?: unknown) {
                seen.push({ method: "delete", props, log });
            },
        };
        managedResource("LogProbe", crud, { logs: true });
        // What a dynamic resource of this type serializes, called as the dynamic provider host calls it.
        const provider = dynamicProviderFor(crud)!;
        const news = { kept: 1, [LOG_URN_INPUT]: URN };
        assert.deepEqual((await provider.check!({}, news)).inputs, { kept: 1, [LOG_URN_INPUT]: URN });
        const created = await provider.create(news);
        assert.deepEqual(created.outs, { made: true, [LOG_URN_INPUT]: URN });
        await provider.delete!("id", created.outs);
        assert.deepEqual(
            seen.map((s) => s.method),
            ["create", "delete"],
        );
        // Unit tests run without an engine address among their arguments: the console stands in.
        for (const s of seen) assert.equal(s.log, consoleLog);
    });
});
