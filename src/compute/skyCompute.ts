// SkyCompute: machines with their volumes mounted, their workdir unpacked, `setup` run and `run`
// started. Provider "ssh" takes existing hosts; aws, gcp and azure declare VMs with identities that
// reach exactly their volumes.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { throwIfIssues } from "../internal/inputError";
import { RemoteCommand } from "../remote";
import { renderRemoveWorkdirScript, renderRunScript, renderSetupScript, renderStopRunScript, renderWorkdirScript } from "../scripts/job";
import { runScriptCommand } from "../scripts/shell";
import { GeesefsArgs, SkyVolume, VolumeArgs } from "../volume/skyVolume";
import { VolumeHostArgs } from "../model/host";
import { declareAwsMachines } from "../clouds/aws";
import { declareGcpMachines } from "../clouds/gcp";
import { declareAzureMachines, parseImageUrn } from "../clouds/azure";
import { StorageCredentials } from "../model/storageRef";
import { validateSkyCompute } from "./validate";
import { archiveWorkdir } from "./workdir";

/** Existing hosts, reached over SSH. */
export interface SshComputeArgs {
    hosts: VolumeHostArgs[];
}

/** GCP options. */
export interface GcpComputeArgs {
    /** The project. Optional. Defaults to the provider's project. */
    project?: string;
    /** Who may reach the VMs over SSH. Optional. Defaults to "0.0.0.0/0" (key-only logins). */
    sshCidr?: string;
    /** The login user the key is installed for. Optional. Defaults to "ubuntu". */
    sshUser?: string;
}

/** AWS options. */
export interface AwsComputeArgs {
    /** Who may reach the VMs over SSH. Optional. Defaults to "0.0.0.0/0" (key-only logins). */
    sshCidr?: string;
    /** The login user of the image. Optional. Defaults to "ubuntu". */
    sshUser?: string;
}

/** Azure options. */
export interface AzureComputeArgs {
    /** An existing resource group for the VMs. Optional. Defaults to a new resource group. */
    resourceGroupName?: string;
    /** Who may reach the VMs over SSH. Optional. Defaults to "0.0.0.0/0" (key-only logins). */
    sshCidr?: string;
    /** The admin user the key is installed for. Optional. Defaults to "azureuser". */
    sshUser?: string;
    /** The VMs' virtual network (their subnet is its first /24). Optional. Defaults to "10.42.0.0/16". */
    vnetCidr?: string;
}

export interface SkyComputeArgs {
    /** aws, gcp, azure (new VMs) or ssh (existing hosts). */
    provider: string;
    /** How many machines. Optional. Defaults to 1, or for ssh the number of hosts. */
    nodes?: number;
    /** The VM size. Optional. Defaults to "t3.medium" on AWS, "e2-standard-4" on GCP, "Standard_D4s_v5" on Azure. */
    instanceType?: string;
    /** The VM image (an AMI ID on AWS, an image path on GCP, a "publisher:offer:sku:version" URN on Azure). Optional. Defaults to Ubuntu 24.04 LTS. */
    image?: string;
    /** The region (AWS; the location on Azure). Optional. Defaults to the AWS provider's region, "eastus" on Azure. */
    region?: string;
    /** The zone (GCP). Optional. Defaults to "us-central1-a". */
    zone?: string;
    /** The public key installed on new VMs. Required for cloud providers. */
    sshPublicKey?: pulumi.Input<string>;
    /** The matching private key skymount connects with. Kept secret. Required for cloud providers. */
    sshPrivateKey?: pulumi.Input<string>;
    /** The volumes every node gets (see SkyVolume). Optional. */
    volumes?: VolumeArgs[];
    /** A local directory unpacked at /root/sky_workdir on every node (ignore rules as for sources). Optional. */
    workdir?: string;
    /** Commands run in the workdir on every node; `pulumi up` waits for them. Rerun when they or the workdir change. Optional. */
    setup?: string;
    /** Commands started detached in the workdir on every node, logging to /var/log/skymount/run.log. Optional. */
    run?: string;
    /** geesefs installation and tuning for the volumes. */
    geesefs?: GeesefsArgs;
    /** An apt source line for hosts without Debian mirrors. Optional. */
    aptSource?: string;
    ssh?: SshComputeArgs;
    aws?: AwsComputeArgs;
    gcp?: GcpComputeArgs;
    azure?: AzureComputeArgs;
}

export class SkyCompute extends pulumi.ComponentResource {
    /** Each node's address. */
    public readonly addresses: pulumi.Output<string[]>;
    /** Each node's SSH login user (in the order of `addresses`): "ubuntu" on AWS and GCP, "azureuser" on Azure, the host's own for ssh. */
    public readonly sshUsers: pulumi.Output<string[]>;
    /** The volumes mounted on each node: "<node>:<path> <- <bucket>/<prefix> (ro|rw|copy)". */
    public readonly mounted: pulumi.Output<string[]>;

    constructor(name: string, args: SkyComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        const blocks = (["ssh", "aws", "gcp", "azure"] as const).filter((b) => args[b] !== undefined);
        throwIfIssues(
            "SkyCompute",
            validateSkyCompute({
                provider: args.provider,
                nodes: args.nodes,
                sshHosts: args.ssh?.hosts.map((h) => h.name),
                workdir: args.workdir,
                setup: args.setup,
                run: args.run,
                blocks,
                hasSshKeys: args.sshPublicKey !== undefined && args.sshPrivateKey !== undefined,
                keylessVolumes: (args.volumes ?? []).flatMap((v, index) => (v.storage.credentials === undefined ? [{ index, store: v.storage.store, endpoint: v.storage.endpoint }] : [])),
                sshCidr: args.aws?.sshCidr ?? args.gcp?.sshCidr ?? args.azure?.sshCidr,
                image: args.image,
                vnetCidr: args.azure?.vnetCidr,
            }),
        );
        super("skymount:index:SkyCompute", name, {}, opts);
        const machines: { hosts: VolumeHostArgs[]; credentials?: pulumi.Output<StorageCredentials> } =
            args.provider === "aws"
                ? { hosts: this.declareAws(name, args) }
                : args.provider === "gcp"
                  ? this.declareGcp(name, args)
                  : args.provider === "azure"
                    ? { hosts: this.declareAzure(name, args) }
                    : { hosts: args.ssh!.hosts };
        const hosts = machines.hosts;
        // On GCP, keyless GCS volumes use the machines' own HMAC key.
        const volumes = (args.volumes ?? []).map((v) =>
            v.storage.credentials === undefined && machines.credentials ? { ...v, storage: { ...v.storage, credentials: machines.credentials } } : v,
        );
        const volume = volumes.length
            ? new SkyVolume(name, { hosts, volumes, geesefs: args.geesefs, aptSource: args.aptSource }, { parent: this })
            : undefined;
        const archive = args.workdir ? archiveWorkdir(args.workdir) : undefined;
        archive?.then((a) => a.warnings.forEach((w) => pulumi.log.warn(w, this)), () => undefined);
        const archiveHash = archive ? pulumi.output(archive.then((a) => a.sha256)) : pulumi.output("");
        const jobs: RemoteCommand[] = [];
        for (const host of hosts) {
            const connection = { host: host.host, port: host.port, user: host.user, privateKey: host.privateKey, hostKey: host.hostKey };
            const after: pulumi.Resource[] = volume ? [volume] : [];
            if (archive) {
                after.push(
                    new RemoteCommand(
                        `${name}-${host.name}-workdir`,
                        {
                            connection,
                            stdin: pulumi.output(archive.then((a) => a.base64)),
                            create: archiveHash.apply((h) => runScriptCommand(renderWorkdirScript(h))),
                            delete: runScriptCommand(renderRemoveWorkdirScript()),
                        },
                        { parent: this },
                    ),
                );
            }
            let previous: RemoteCommand | undefined;
            if (args.setup !== undefined) {
                previous = new RemoteCommand(
                    `${name}-${host.name}-setup`,
                    { connection, create: archiveHash.apply((h) => runScriptCommand(renderSetupScript(args.setup!, h))) },
                    { parent: this, dependsOn: after },
                );
                jobs.push(previous);
            }
            if (args.run !== undefined) {
                jobs.push(
                    new RemoteCommand(
                        `${name}-${host.name}-run`,
                        {
                            connection,
                            // A new workdir or a new setup restarts the run.
                            create: archiveHash.apply((h) => runScriptCommand(renderRunScript(args.run!, `${h}${createHash("sha256").update(args.setup ?? "").digest("hex")}`))),
                            delete: runScriptCommand(renderStopRunScript()),
                        },
                        { parent: this, dependsOn: previous ? [previous] : after },
                    ),
                );
            }
        }
        this.addresses = pulumi.all(hosts.map((h) => h.host));
        this.sshUsers = pulumi.all(hosts.map((h) => pulumi.output(h.user ?? "root")));
        // Ready once every node's jobs have run, too.
        const mounted: pulumi.Output<string[]> = volume?.mounted ?? pulumi.output([]);
        this.mounted = pulumi.all([mounted, pulumi.all(jobs.map((j) => j.stdout))]).apply(([list]) => list);
        this.registerOutputs({ addresses: this.addresses, sshUsers: this.sshUsers, mounted: this.mounted });
    }

    private declareGcp(name: string, args: SkyComputeArgs): { hosts: VolumeHostArgs[]; credentials?: pulumi.Output<StorageCredentials> } {
        const plan = {
            nodes: args.nodes ?? 1,
            zone: args.zone ?? "us-central1-a",
            project: args.gcp?.project,
            machineType: args.instanceType ?? "e2-standard-4",
            image: args.image ?? "ubuntu-os-cloud/ubuntu-2404-lts-amd64",
            sshCidr: args.gcp?.sshCidr ?? "0.0.0.0/0",
            sshUser: args.gcp?.sshUser ?? "ubuntu",
            grants: (args.volumes ?? []).filter((v) => v.storage.credentials === undefined).map((v) => ({ bucket: v.storage.bucket, readOnly: v.readOnly ?? true })),
        };
        return declareGcpMachines(name, plan, { publicKey: args.sshPublicKey!, privateKey: pulumi.secret(args.sshPrivateKey!) }, this);
    }

    private declareAzure(name: string, args: SkyComputeArgs): VolumeHostArgs[] {
        const grants = (args.volumes ?? []).flatMap((v) =>
            v.storage.store === "azure" && v.storage.azureScope !== undefined
                ? [{ key: `${v.storage.endpoint}/${v.storage.bucket}`, scope: v.storage.azureScope, readOnly: v.readOnly ?? true }]
                : [],
        );
        const plan = {
            nodes: args.nodes ?? 1,
            location: args.region ?? "eastus",
            resourceGroupName: args.azure?.resourceGroupName,
            vmSize: args.instanceType ?? "Standard_D4s_v5",
            // Validated as a URN before anything is declared.
            image: parseImageUrn(args.image ?? "Canonical:ubuntu-24_04-lts:server:latest")!,
            sshCidr: args.azure?.sshCidr ?? "0.0.0.0/0",
            sshUser: args.azure?.sshUser ?? "azureuser",
            vnetCidr: args.azure?.vnetCidr ?? "10.42.0.0/16",
            grants,
        };
        return declareAzureMachines(name, plan, { publicKey: args.sshPublicKey!, privateKey: pulumi.secret(args.sshPrivateKey!) }, this);
    }

    private declareAws(name: string, args: SkyComputeArgs): VolumeHostArgs[] {
        const grants = (args.volumes ?? [])
            .filter((v) => v.storage.credentials === undefined)
            .map((v) => ({ bucket: v.storage.bucket, prefix: v.prefix, readOnly: v.readOnly ?? true }));
        const plan = {
            nodes: args.nodes ?? 1,
            region: args.region,
            instanceType: args.instanceType ?? "t3.medium",
            image: args.image,
            sshCidr: args.aws?.sshCidr ?? "0.0.0.0/0",
            sshUser: args.aws?.sshUser ?? "ubuntu",
            grants,
        };
        return declareAwsMachines(name, plan, { publicKey: args.sshPublicKey!, privateKey: pulumi.secret(args.sshPrivateKey!) }, this).hosts;
    }
}
