// The testbed's TLS front, run as a daemon: `node --import tsx tlsFront.ts <address> <config.json>`.
// It listens on <address>:443, terminates TLS with the certificate for the clouds' names and pipes each
// connection, bytes untouched (SigV4 signs the Host header), to the server behind the name the client
// asked for (SNI): MinIO for S3 and GCS, Azurite for Azure Blob. A connection without a served name is
// closed after the handshake and logged; every other connection's name is logged too (the front's log,
// cloud-names/tls-front.log, is how a test sees that a client reached a cloud's name).
import { readFileSync } from "node:fs";
import * as net from "node:net";
import * as tls from "node:tls";
import { serviceFor, TLS_FRONT_PORT, TlsFrontConfig } from "./cloudNames";

function serve(address: string, config: TlsFrontConfig): void {
    const server = tls.createServer({ cert: readFileSync(config.cert), key: readFileSync(config.key) }, (client) => {
        const service = serviceFor(client.servername || undefined);
        if (!service) {
            console.error(`tls front: no service for server name ${JSON.stringify(client.servername || "")}; closed`);
            client.destroy();
            return;
        }
        // One line a connection (clients keep theirs alive): tests read which names were reached.
        console.error(`tls front: ${client.servername} -> ${service}`);
        const backend = net.connect(config.backends[service]);
        client.pipe(backend).pipe(client);
        client.on("error", () => backend.destroy());
        backend.on("error", (err) => {
            console.error(`tls front: ${service} ${config.backends[service].host}:${config.backends[service].port}: ${err.message}`);
            client.destroy();
        });
    });
    server.on("tlsClientError", (err: NodeJS.ErrnoException) => {
        // A client that closes once its side of the handshake is done (a probe) is no failure.
        if (err.code !== "ECONNRESET") console.error(`tls front: handshake failed: ${err.message}`);
    });
    server.listen(TLS_FRONT_PORT, address, () => console.error(`tls front: listening on ${address}:${TLS_FRONT_PORT}`));
}

// A program, never imported: cloudNamesServers.ts starts it.
const [address, configFile] = process.argv.slice(2);
serve(address, JSON.parse(readFileSync(configFile, "utf8")) as TlsFrontConfig);
