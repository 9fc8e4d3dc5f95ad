// A TCP proxy that counts the bytes passing through it in both directions: put in front of the S3
// server, it measures what the machine running Pulumi sends and receives. The bytes are forwarded
// unchanged, so signatures (made for the proxy's address as Host) still verify.
import { AddressInfo, connect, createServer, Socket } from "node:net";

export interface CountingProxy {
    /** The URL to use as the S3 endpoint. */
    endpoint: string;
    /** Bytes sent to the server and received from it since the last reset. */
    bytes(): { sent: number; received: number };
    reset(): void;
    close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
    const url = new URL(target);
    let sent = 0;
    let received = 0;
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
        const upstream = connect(Number(url.port || 80), url.hostname);
        for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on("error", () => undefined);
            socket.on("close", () => {
                sockets.delete(socket);
                client.destroy();
                upstream.destroy();
            });
        }
        client.on("data", (chunk: Buffer) => void (sent += chunk.length));
        upstream.on("data", (chunk: Buffer) => void (received += chunk.length));
        client.pipe(upstream);
        upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        bytes: () => ({ sent, received }),
        reset: () => {
            sent = 0;
            received = 0;
        },
        close: async () => {
            for (const socket of sockets) socket.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
