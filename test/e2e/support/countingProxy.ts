// A TCP proxy that counts the bytes passing through it in both directions: put in front of the S3
// server, it measures what the machine running Pulumi sends and receives. The bytes are forwarded
// unchanged, so signatures (made for the proxy's address as Host) still verify.
import { AddressInfo, createServer, Socket } from "node:net";
import { splice } from "./tcpSplice";

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
    const server = createServer((client) =>
        splice(client, url, {
            sockets,
            onSent: (chunk) => void (sent += chunk.length),
            onReceived: (chunk) => void (received += chunk.length),
        }),
    );
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
