// The testbed's certificate authority and the TLS front's certificate for the clouds' names, made by
// openssl at every `up` under the instance's directory (keys 0600). Hosts get the CA in their trust
// store; processes on this machine get it through NODE_EXTRA_CA_CERTS and a bundle (this machine's CAs
// and the testbed's) for the clients that replace their trust store rather than extend it.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { run } from "./processes";

/** The machine's trust store, which the bundle extends. */
const SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
/** A test run is hours; a testbed left up for weeks gets a new CA at its next `up`. */
const VALID_DAYS = "30";

export interface TestbedCaFiles {
    /** The CA's certificate (PEM). */
    ca: string;
    /** The machine's CAs and the testbed's, for SSL_CERT_FILE, AWS_CA_BUNDLE and REQUESTS_CA_BUNDLE. */
    bundle: string;
    /** The TLS front's certificate and key. */
    cert: string;
    key: string;
}

/** Makes the CA and a certificate it signs for `names` (DNS names, wildcards allowed), in `dir`. */
export function makeTestbedCa(dir: string, names: string[], label: string): TestbedCaFiles {
    const file = (name: string) => path.join(dir, name);
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    run("openssl", [
        "req",
        "-x509",
        ...ec,
        "-keyout",
        file("ca.key"),
        "-out",
        file("ca.crt"),
        "-days",
        VALID_DAYS,
        "-subj",
        `/CN=skymount testbed CA (${label})`,
        "-addext",
        "basicConstraints=critical,CA:TRUE,pathlen:0",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run("openssl", [
        "req",
        ...ec,
        "-keyout",
        file("front.key"),
        "-out",
        file("front.csr"),
        "-subj",
        `/CN=skymount testbed cloud names (${label})`,
    ]);
    writeFileSync(
        file("front.ext"),
        [
            "basicConstraints=critical,CA:FALSE",
            "keyUsage=critical,digitalSignature",
            "extendedKeyUsage=serverAuth",
            `subjectAltName=${names.map((name) => `DNS:${name}`).join(",")}`,
            "",
        ].join("\n"),
    );
    run("openssl", [
        "x509",
        "-req",
        "-in",
        file("front.csr"),
        "-CA",
        file("ca.crt"),
        "-CAkey",
        file("ca.key"),
        "-set_serial",
        `0x${Date.now().toString(16)}`,
        "-days",
        VALID_DAYS,
        "-extfile",
        file("front.ext"),
        "-out",
        file("front.crt"),
    ]);
    for (const key of ["ca.key", "front.key"]) chmodSync(file(key), 0o600);
    const ca = readFileSync(file("ca.crt"), "utf8");
    writeFileSync(file("bundle.crt"), `${readFileSync(SYSTEM_BUNDLE, "utf8").trimEnd()}\n${ca}`);
    return { ca: file("ca.crt"), bundle: file("bundle.crt"), cert: file("front.crt"), key: file("front.key") };
}
