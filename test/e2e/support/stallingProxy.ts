// A TCP proxy in front of the testbed's S3 server, reachable from the test hosts, that plays a
// geesefs whose requests to its store hang while the store answers everyone else: when stalled, it
// forwards nothing more of any connection except curl's (the supervisor's own request to the store),
// so geesefs's requests get no answer, old connections and new alike, as in the hang seen after a
// reboot. It can also stop (the port closed: the store down for everyone). Bytes pass unchanged, so
// signatures made for the proxy's address still verify.
import { AddressInfo, createServer, Server, Socket } from "node:net";
import { splice } from "./tcpSplice";

export interface StallingProxy {
    /** The URL to use as the S3 endpoint: the same before and after a stop. */
    endpoint: string;
    /** From now on, forwards nothing of any connection but curl's; `false`: new connections pass again. */
    stall(on: boolean): void;
    /** Refuses new connections and cuts the open ones. */
    stop(): Promise<void>;
    /** Listens again on the same port. */
    start(): Promise<void>;
    close(): Promise<void>;
}

/** `target`: the S3 server's URL; the proxy listens on its host's address, which the hosts reach. */
export async function startStallingProxy(target: string): Promise<StallingProxy> {
    const url = new URL(target);
    const sockets = new Set<Socket>();
    let server: Server | undefined;
    let port = 0;
    let stalled = false;

    const stop = async () => {
        const closing = server;
        server = undefined;
        for (const socket of sockets) socket.destroy();
        if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    };
    const listen = async () => {
        const s = createServer((client) => {
            // A connection that carried a request while stalled stays dead, as a blackholed flow does:
            // nothing more of it is forwarded either way. curl's pass (one request, then it closes).
            let isCurl = false;
            let isDead = false;
            splice(client, url, {
                sockets,
                pass: (chunk, from) => {
                    if (from === "client") {
                        if (/\r\nuser-agent: curl\//i.test(chunk.toString("latin1"))) isCurl = true;
                        if (stalled && !isCurl) isDead = true;
                    }
                    return !isDead;
                },
            });
        });
        await new Promise<void>((resolve, reject) => {
            s.once("error", reject);
            s.listen(port, url.hostname, () => resolve());
        });
        port = (s.address() as AddressInfo).port;
        server = s;
    };
    await listen();
    return {
        endpoint: `${url.protocol}//${url.hostname}:${port}`,
        stall: (on) => void (stalled = on),
        stop,
        start: listen,
        close: stop,
    };
}
