// One client connection spliced to the server behind a test proxy: bytes pass unchanged both ways
// (so signatures made for the proxy's address still verify), each socket is tracked until it closes,
// and closing either side closes both.
import { connect, Socket } from "node:net";

export interface Splice {
    /** Every open socket, so the proxy can cut them all. */
    sockets: Set<Socket>;
    /** Each chunk the client sends towards the server. */
    onSent?: (chunk: Buffer) => void;
    /** Each chunk the server answers with. */
    onReceived?: (chunk: Buffer) => void;
    /** Whether a chunk goes on (every chunk if not given): a proxy that drops traffic says no. */
    pass?: (chunk: Buffer, from: "client" | "server") => boolean;
}

export function splice(client: Socket, target: URL, { sockets, onSent, onReceived, pass }: Splice): void {
    const upstream = connect(Number(target.port || 80), target.hostname);
    for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("error", () => undefined);
        socket.on("close", () => {
            sockets.delete(socket);
            client.destroy();
            upstream.destroy();
        });
    }
    if (onSent) client.on("data", onSent);
    if (onReceived) upstream.on("data", onReceived);
    if (!pass) {
        client.pipe(upstream);
        upstream.pipe(client);
        return;
    }
    client.on("data", (chunk: Buffer) => void (pass(chunk, "client") && upstream.write(chunk)));
    upstream.on("data", (chunk: Buffer) => void (pass(chunk, "server") && client.write(chunk)));
}
