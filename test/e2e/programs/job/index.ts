// SkyCompute on one testbed host (config `host`, a testbed host name; else the first of `hosts`): only
// `run`, given as config, so a test can change it; the key (and host key) may be overridden to see how
// a wrong one fails.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { hostsNamed, loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyCompute } from "../../../../src";

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const [host] = hostsNamed(testbed, config.get("host") ?? testbed.hosts[0].name);

const compute = new SkyCompute("job", {
    provider: "ssh",
    ssh: {
        hosts: [
            {
                name: host.name,
                host: host.address,
                port: host.port,
                user: host.user,
                privateKey: readFileSync(config.get("privateKeyPath") ?? host.privateKeyPath, "utf8"),
                hostKey: config.get("hostKey") ?? host.hostPublicKey,
            },
        ],
    },
    run: config.require("run"),
});

export const addresses = compute.addresses;
