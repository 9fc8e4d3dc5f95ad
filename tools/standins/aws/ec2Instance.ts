// aws:ec2/instance:Instance as a fresh testbed host (tools/testbed/cloudHosts.ts): Create boots one,
// made like an Ubuntu cloud image's first boot: its login user "ubuntu" (the image's, whatever the
// program expects: a program that logs in as another user is refused, as on EC2) with the key pair's
// public key, root through passwordless sudo, and a new SSH host key that no output tells (EC2 shows
// it only in the console output, which skymount does not read: it accepts a cloud VM's key as is).
// Its one address is both publicIp and privateIp; its metadata service (IMDSv2, imdsServer.ts) runs
// in its namespace. Ids and ARNs are AWS's (i-…); the image, key, zone, subnet and the other inputs
// the real provider replaces an instance on replace it here; the instance type, profile, metadata
// options, security groups and tags change in place (state, and the metadata service's view).
// Read of an instance whose host is gone (deleted out of band) reports it gone, as the real provider
// drops a terminated instance; Delete stops the host and removes its namespace and files.
// Not modelled: userDataReplaceOnChange (user data is state only, never run), stop/start, EBS.
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { run, startDaemon } from "../../testbed/processes";
import { findCloudHost, startCloudHost, stopCloudHost } from "../../testbed/cloudHosts";
import type { Props, ResourceModel } from "../resourceModel";
import { dataPlaneRoot } from "./dataPlane";
import { ec2Id, regionOf } from "./ec2";
import { ACCOUNT_ID } from "./iam";
import { IMDS_ADDRESS, MetadataConfig } from "./imdsServer";
import { KeyPairRecord, readRecord } from "./records";

/** The login user of every image the stand-in boots (getAmi answers Ubuntu's). */
export const IMAGE_USER = "ubuntu";
const repoRoot = path.resolve(__dirname, "..", "..", "..");

function metadataConfig(id: string, inputs: Props, address: string): MetadataConfig {
    const region = regionOf(inputs);
    const dashed = address.replace(/\./g, "-");
    const options = (inputs.metadataOptions ?? {}) as { httpTokens?: string; httpEndpoint?: string };
    return {
        instanceId: id,
        imageId: String(inputs.ami),
        instanceType: String(inputs.instanceType ?? "t3.micro"),
        region,
        availabilityZone: String(inputs.availabilityZone ?? `${region}a`),
        privateIp: address,
        publicIp: address,
        privateDns: region === "us-east-1" ? `ip-${dashed}.ec2.internal` : `ip-${dashed}.${region}.compute.internal`,
        publicDns: region === "us-east-1" ? `ec2-${dashed}.compute-1.amazonaws.com` : `ec2-${dashed}.${region}.compute.amazonaws.com`,
        instanceProfile: inputs.iamInstanceProfile === undefined ? undefined : String(inputs.iamInstanceProfile),
        // Without metadata options, new instances in most accounts still allow IMDSv1.
        httpTokens: options.httpTokens === "required" ? "required" : "optional",
        httpEndpoint: options.httpEndpoint === "disabled" ? "disabled" : "enabled",
        s3: { endpoint: dataPlaneRoot().endpoint, region: dataPlaneRoot().region },
    };
}

/** Starts the instance's metadata service at 169.254.169.254 inside its namespace. */
function startMetadataService(netns: string, dir: string, config: MetadataConfig): void {
    writeFileSync(path.join(dir, "imds.json"), JSON.stringify(config, null, 2));
    run("ip", ["netns", "exec", netns, "ip", "addr", "add", `${IMDS_ADDRESS}/32`, "dev", "lo"]);
    const tsx = path.join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs");
    startDaemon(
        "ip",
        [
            "netns",
            "exec",
            netns,
            process.execPath,
            "--import",
            `file://${tsx}`,
            path.join(__dirname, "imdsServer.ts"),
            path.join(dir, "imds.json"),
        ],
        path.join(dir, "imds.log"),
        { TSX_TSCONFIG_PATH: path.join(repoRoot, "tsconfig.json") },
    );
}

function outputsOf(id: string, inputs: Props, config: MetadataConfig): Props {
    return {
        ...inputs,
        region: config.region,
        arn: `arn:aws:ec2:${config.region}:${ACCOUNT_ID}:instance/${id}`,
        instanceState: "running",
        availabilityZone: config.availabilityZone,
        publicIp: config.publicIp,
        privateIp: config.privateIp,
        publicDns: config.publicDns,
        privateDns: config.privateDns,
        tenancy: inputs.tenancy ?? "default",
        tags: inputs.tags ?? {},
        tagsAll: inputs.tags ?? {},
    };
}

export const ec2InstanceModel: ResourceModel = {
    replaceOn: [
        "ami",
        "keyName",
        "availabilityZone",
        "subnetId",
        "privateIp",
        "placementGroup",
        "tenancy",
        "hostId",
        "associatePublicIpAddress",
        "securityGroups",
        "networkInterfaces",
        "launchTemplate",
        "cpuOptions",
        "ebsBlockDevices",
        "ephemeralBlockDevices",
        "ipv6AddressCount",
        "ipv6Addresses",
        "hibernation",
        "enclaveOptions",
        "region",
    ],
    async create(inputs) {
        let authorizedKey: string | undefined;
        if (inputs.keyName !== undefined) {
            const keyPair = readRecord<KeyPairRecord>("key-pairs", String(inputs.keyName));
            if (!keyPair)
                throw new Error(`creating EC2 Instance: InvalidKeyPair.NotFound: The key pair '${String(inputs.keyName)}' does not exist`);
            authorizedKey = keyPair.publicKey;
        }
        if (inputs.iamInstanceProfile !== undefined && !readRecord("instance-profiles", String(inputs.iamInstanceProfile)))
            throw new Error(
                `creating EC2 Instance: InvalidParameterValue: Value (${String(inputs.iamInstanceProfile)}) for parameter ` +
                    "iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name",
            );
        const id = ec2Id("i");
        const host = startCloudHost({ tag: id, user: IMAGE_USER, authorizedKey });
        const config = metadataConfig(id, inputs, host.address);
        startMetadataService(host.netns, host.dir, config);
        return { id, outs: outputsOf(id, inputs, config) };
    },
    read: async (id, state) => (findCloudHost(id) ? state : undefined),
    async update(id, olds, news) {
        const host = findCloudHost(id);
        if (!host) throw new Error(`updating EC2 Instance (${id}): InvalidInstanceID.NotFound: The instance ID '${id}' does not exist`);
        const config = metadataConfig(id, news, host.address);
        writeFileSync(path.join(host.dir, "imds.json"), JSON.stringify(config, null, 2));
        return outputsOf(id, { ...olds, ...news }, config);
    },
    async delete(id) {
        const host = findCloudHost(id);
        if (host) await stopCloudHost(host);
    },
};
