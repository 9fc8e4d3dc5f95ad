// Which testbed this process works on. The default one (prefix "skym", 10.213.0.0/24, .testbed/) is
// the one `npm test` and the demo use; SKYMOUNT_TESTBED=<name> picks another, independent instance
// (a benchmark's fleet of hosts, say) with its own name prefix, subnet, directory and /etc/hosts tag,
// so `up` and `down` of one never touch the other's namespaces, links, servers or files.
import { createHash } from "node:crypto";
import * as path from "node:path";

export interface TestbedInstance {
    /** "" for the default testbed. */
    name: string;
    /** Starts every namespace and link name (Linux caps interface names at 15 characters). */
    prefix: string;
    /** The first three octets of the instance's /24. */
    subnet: string;
    /** Where its files live; its server processes name this directory and its bridge address. */
    dir: string;
    /** Ends every /etc/hosts line it adds. */
    hostsTag: string;
    /** The DNS suffix of its Azure Blob endpoint. */
    blobDnsSuffix: string;
}

const NAME = /^[a-z][a-z0-9]{0,7}$/;

export function testbedInstance(name: string, repoRoot: string): TestbedInstance {
    if (name === "") {
        return {
            name,
            prefix: "skym",
            subnet: "10.213.0",
            dir: path.join(repoRoot, ".testbed"),
            hostsTag: "# skymount-testbed",
            blobDnsSuffix: "blob.skym.test",
        };
    }
    if (!NAME.test(name))
        throw new Error(`SKYMOUNT_TESTBED=${name}: a testbed name is 1-8 lowercase letters and digits, starting with a letter`);
    // "skt" + name never equals "skym", and names hold no "-", so no instance's "<prefix>-" starts another's.
    const prefix = `skt${name}`;
    // 10.214.0.0/24 to 10.253.0.0/24 by the name's hash; `up` refuses a subnet another instance already holds.
    const second = 214 + (createHash("sha256").update(name).digest()[0] % 40);
    return {
        name,
        prefix,
        subnet: `10.${second}.0`,
        dir: path.join(repoRoot, `.testbed-${name}`),
        hostsTag: `# skymount-testbed-${name}`,
        blobDnsSuffix: `blob.${prefix}.test`,
    };
}

/** Whether a command line names `address` as a whole address (10.213.0.1 is not in 10.213.0.12). */
export function mentionsAddress(cmdline: string, address: string): boolean {
    return new RegExp(`(^|[^0-9.])${address.replace(/\./g, "\\.")}(?![0-9])`).test(cmdline);
}
