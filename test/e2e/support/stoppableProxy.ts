// A TCP proxy in front of the testbed's S3 server that a test can stop and start again on the same
// port: for one stack, the server is gone (connections refused, open ones cut), while other tests
// keep using the server itself. It counts the bytes sent through it and the objects stored through it
// (answers that carry an ETag: a PUT's, a completed multipart upload's), and can stop itself after a
// given number of objects (an interruption at a chosen point of a sync). Bytes pass unchanged, so
// signatures made for the proxy's address still verify.
import { AddressInfo, createServer, Server, Socket } from "node:net";
import { splice } from "./tcpSplice";

export interface StoppableProxy {
    /** The URL to use as the S3 endpoint: the same before and after a restart. */
    endpoint: string;
    /** Bytes sent towards the server since the last reset. */
    sent(): number;
    reset(): void;
    /** Refuses new connections and cuts the open ones; resolves when the port is closed. */
    stop(): Promise<void>;
    /** Listens again on the same port. */
    start(): Promise<void>;
    /** Stops (as `stop`) once the server has answered `count` uploads; resolves with the time it stopped. */
    stopAfterUploads(count: number): Promise<number>;
    close(): Promise<void>;
}

export async function startStoppableProxy(target: string): Promise<StoppableProxy> {
    const url = new URL(target);
    let sent = 0;
    let server: Server | undefined;
    let port = 0;
    let uploads = 0;
    let trigger: { count: number; resolve: (at: number) => void } | undefined;
    const sockets = new Set<Socket>();

    const stop = async () => {
        const closing = server;
        server = undefined;
        for (const socket of sockets) socket.destroy();
        if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    };
    const listen = async () => {
        const s = createServer((client) =>
            splice(client, url, {
                sockets,
                onSent: (chunk) => void (sent += chunk.length),
                onReceived: (chunk) => {
                    // A PUT answers with the object's ETag as a header; listings carry theirs in XML.
                    uploads += chunk.toString("latin1").match(/\r\nETag: /gi)?.length ?? 0;
                    if (trigger && uploads >= trigger.count) {
                        const fired = trigger;
                        trigger = undefined;
                        void stop().then(() => fired.resolve(Date.now()));
                    }
                },
            }),
        );
        await new Promise<void>((resolve, reject) => {
            s.once("error", reject);
            s.listen(port, "127.0.0.1", () => resolve());
        });
        port = (s.address() as AddressInfo).port;
        server = s;
    };
    await listen();
    return {
        endpoint: `http://127.0.0.1:${port}`,
        sent: () => sent,
        reset: () => void (sent = 0),
        stop,
        start: listen,
        stopAfterUploads: (count) =>
            new Promise((resolve) => {
                uploads = 0;
                trigger = { count, resolve };
            }),
        close: stop,
    };
}
