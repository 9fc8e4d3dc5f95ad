// SkyCompute: machines with their volumes mounted, their workdir unpacked, `setup` run and `run`
// started. Provider "ssh" takes existing hosts; aws, gcp and azure declare VMs with identities that
// reach exactly their volumes. The machines come from the provider's driver (src/computeDrivers/registry.ts).
import * as pulumi from "@pulumi/pulumi";
import { SshKeyPair } from "../computeDrivers/driver";
import { declareMachines } from "../computeDrivers/registry";
import { throwIfIssues } from "../internal/inputError";
import { Issue } from "../internal/issues";
import { issuesOnKnown, markedLate, pendingPaths, previewValue, withLateFields } from "../internal/lateValues";
import { notKnownPaths } from "../internal/notKnown";
import { holdsPending, settle } from "../internal/settle";
import { ComputeProvider } from "../model/enums";
import { SshHost } from "../model/host";
import { RemoteCommand, SshConnectionInput } from "../remote";
import {
    renderRemoveWorkdirScript,
    renderRunScript,
    renderSetupScript,
    renderStopRunScript,
    renderWorkdirScript,
} from "../hostScripts/job";
import { renderWorkdirCheck } from "../hostScripts/check";
import { runScriptCommand } from "../hostScripts/shell";
import { givenVolumeOf, KnownVolume, knownVolumes } from "../skyVolume/knownVolumes";
import { Geesefs, SkyVolume, Volume } from "../skyVolume/skyVolume";
import { ComputePlan, planSkyCompute, runTrigger } from "./plan";
import { SkyComputeSpec } from "./spec";
import { validateSkyCompute } from "./validate";
import { archiveWorkdir, WorkdirArchive } from "./workdir";

/** Existing hosts, reached over SSH. */
export interface SshCompute {
    /** The hosts: each node is one of them. */
    hosts: SshHost[];
}

/** GCP options. */
export interface GcpCompute {
    /** The project. Optional. Defaults to the provider's project. */
    project?: pulumi.Input<string>;
    /** Who may reach the VMs over SSH. Optional. Defaults to "0.0.0.0/0" (key-only logins). */
    sshCidr?: pulumi.Input<string>;
    /** The login user the key is installed for. Optional. Defaults to "ubuntu". */
    sshUser?: pulumi.Input<string>;
}

/** AWS options. */
export interface AwsCompute {
    /** Who may reach the VMs over SSH. Optional. Defaults to "0.0.0.0/0" (key-only logins). */
    sshCidr?: pulumi.Input<string>;
    /** The login user of the image. Optional. Defaults to "ubuntu". */
    sshUser?: pulumi.Input<string>;
}

/** Azure options. */
export interface AzureCompute {
    /** An existing resource group for the VMs. Optional. Defaults to a new resource group. */
    resourceGroupName?: pulumi.Input<string>;
    /** Who may reach the VMs over SSH. Optional. Defaults to "0.0.0.0/0" (key-only logins). */
    sshCidr?: pulumi.Input<string>;
    /** The admin user the key is installed for. Optional. Defaults to "azureuser". */
    sshUser?: pulumi.Input<string>;
    /** The VMs' virtual network (their subnet is its first /24). Optional. Defaults to "10.42.0.0/16". */
    vnetCidr?: pulumi.Input<string>;
}

export interface SkyComputeArgs {
    /** aws, gcp, azure (new VMs) or ssh (existing hosts). */
    provider: ComputeProvider;
    /** How many machines. Optional. Defaults to 1, or for ssh the number of hosts. */
    nodes?: number;
    /** The VM size. Optional. Defaults to "t3.medium" on AWS, "e2-standard-4" on GCP, "Standard_D4s_v5" on Azure. */
    instanceType?: pulumi.Input<string>;
    /** The VM image (an AMI ID on AWS, an image path on GCP, a "publisher:offer:sku:version" URN on Azure). Optional. Defaults to Ubuntu 24.04 LTS. */
    image?: pulumi.Input<string>;
    /** The region (AWS; the location on Azure). Optional. Defaults to the AWS provider's region, "eastus" on Azure. */
    region?: pulumi.Input<string>;
    /** The zone (GCP). Optional. Defaults to "us-central1-a". */
    zone?: pulumi.Input<string>;
    /** The public key installed on new VMs. Required for cloud providers. */
    sshPublicKey?: pulumi.Input<string>;
    /** The matching private key skymount connects with. Kept secret. Required for cloud providers. */
    sshPrivateKey?: pulumi.Input<string>;
    /** The volumes every node gets (see SkyVolume). Optional. */
    volumes?: Volume[];
    /** A local directory unpacked at /root/sky_workdir on every node (ignore rules as for sources); a relative path is resolved against the Pulumi program's directory. Optional. */
    workdir?: string;
    /** Commands run in the workdir on every node; `pulumi up` waits for them. Rerun when they or the workdir change. Optional. */
    setup?: pulumi.Input<string>;
    /** Commands started detached in the workdir on every node, logging to /var/log/skymount/run.log. Optional. */
    run?: pulumi.Input<string>;
    /** geesefs installation and tuning for the volumes. */
    geesefs?: Geesefs;
    /** An apt source line for hosts without Debian mirrors. Optional. */
    aptSource?: string;
    /** The existing hosts (provider ssh). */
    ssh?: SshCompute;
    /** AWS options (provider aws). Optional. */
    aws?: AwsCompute;
    /** GCP options (provider gcp). Optional. */
    gcp?: GcpCompute;
    /** Azure options (provider azure). Optional. */
    azure?: AzureCompute;
}

/** The plain view validation and planning see: the provider's block flattened in, keys reduced to whether they exist. */
function specOf(args: SkyComputeArgs, volumes: KnownVolume[]): SkyComputeSpec {
    return {
        provider: args.provider,
        nodes: args.nodes,
        hosts: args.ssh?.hosts,
        workdir: args.workdir,
        setup: args.setup as string | undefined,
        run: args.run as string | undefined,
        blocks: (["ssh", "aws", "gcp", "azure"] as const).filter((b) => args[b] !== undefined),
        hasSshKeys: args.sshPublicKey !== undefined && args.sshPrivateKey !== undefined,
        volumes: volumes.map((v) => ({
            store: v.spec.storage.store,
            bucket: v.spec.storage.bucket,
            endpoint: v.spec.storage.endpoint,
            prefix: v.spec.prefix,
            readOnly: v.spec.readOnly,
            hasCredentials: v.spec.storage.hasCredentials,
            azureScope: v.azureScope,
        })),
        // Plain here: the Inputs were settled or marked late (givenArgs.ts) before this view is made.
        instanceType: args.instanceType as string | undefined,
        image: args.image as string | undefined,
        region: args.region as string | undefined,
        zone: args.zone as string | undefined,
        // Only the provider's own block may be set (validated), so the first one set is it.
        sshCidr: (args.aws?.sshCidr ?? args.gcp?.sshCidr ?? args.azure?.sshCidr) as string | undefined,
        sshUser: (args.aws?.sshUser ?? args.gcp?.sshUser ?? args.azure?.sshUser) as string | undefined,
        project: args.gcp?.project as string | undefined,
        resourceGroupName: args.azure?.resourceGroupName as string | undefined,
        vnetCidr: args.azure?.vnetCidr as string | undefined,
    };
}

/** The fields of SkyCompute's own that may be Outputs (the volumes, the ssh hosts and the keys are handled on their own). */
function ownInputs(args: SkyComputeArgs) {
    const { instanceType, image, region, zone, setup, run, aws, gcp, azure } = args;
    return { instanceType, image, region, zone, setup, run, aws, gcp, azure };
}

function checkedPlan(spec: SkyComputeSpec): { issues: Issue[]; plan?: ComputePlan } {
    const issues = validateSkyCompute(spec);
    return { issues, plan: issues.length === 0 ? planSkyCompute(spec) : undefined };
}

/**
 * Validated on what is known and planned; bad input throws every issue at once. `settled` is the
 * own Inputs settled (internal/settle.ts), or given plainly. A field given as an Output goes on as
 * an Output of the same plan made again once it is known (internal/lateValues.ts).
 */
function planned(args: SkyComputeArgs, settled: unknown, volumes: KnownVolume[]): ComputePlan {
    const known = previewValue(settled) as Partial<SkyComputeArgs>;
    const checked = checkedPlan(specOf({ ...args, ...known }, volumes));
    throwIfIssues("SkyCompute", issuesOnKnown(checked.issues, notKnownPaths(known)));
    const late = pendingPaths(ownInputs(args));
    if (late.length === 0) return checked.plan!;
    const plan = planSkyCompute(specOf({ ...args, ...(markedLate(known, late) as Partial<SkyComputeArgs>) }, volumes));
    return withLateFields("SkyCompute", plan, ownInputs(args), (own) => checkedPlan(specOf({ ...args, ...own }, volumes)));
}

interface NodeOutputs {
    addresses: pulumi.Output<string[]>;
    sshUsers: pulumi.Output<string[]>;
    mounted: pulumi.Output<string[]>;
}

/**
 * Machines with volumes: new VMs on AWS, GCP or Azure (with identities that reach exactly their
 * buckets) or existing SSH hosts, each with the volumes mounted, a workdir unpacked, `setup` run and
 * `run` started.
 */
export class SkyCompute extends pulumi.ComponentResource {
    /** Each node's address. */
    public readonly addresses: pulumi.Output<string[]>;
    /** Each node's SSH login user (in the order of `addresses`): "ubuntu" on AWS and GCP, "azureuser" on Azure, the host's own for ssh. */
    public readonly sshUsers: pulumi.Output<string[]>;
    /** The volumes mounted on each node: "<node>:<path> <- <bucket>/<prefix> (ro|rw|copy)". */
    public readonly mounted: pulumi.Output<string[]>;

    constructor(name: string, args: SkyComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        const volumes = knownVolumes("SkyCompute", args.volumes ?? []);
        let declared: NodeOutputs;
        if (Array.isArray(volumes) && !holdsPending(ownInputs(args))) {
            // Plain values (the usual TypeScript program): validated and planned before super(), so bad
            // input registers nothing at all, not even this component.
            const plan = planned(args, ownInputs(args), volumes);
            super("skymount:index:SkyCompute", name, {}, opts);
            declared = this.declareNodes(name, args, volumes, plan);
        } else {
            // A volume's fields are Outputs (SkyStorage's `ref` from another language), or SkyCompute's own
            // fields are: the machines and volumes are declared once they settle; an unknown volume field
            // at preview fails the component, an unknown own field goes on to the resources.
            super("skymount:index:SkyCompute", name, {}, opts);
            const later = Promise.all([volumes, settle(ownInputs(args))]).then(([known, own]) =>
                this.declareNodes(name, args, known, planned(args, own, known)),
            );
            declared = {
                addresses: pulumi.output(later.then((d) => d.addresses)),
                sshUsers: pulumi.output(later.then((d) => d.sshUsers)),
                mounted: pulumi.output(later.then((d) => d.mounted)),
            };
        }
        this.addresses = declared.addresses;
        this.sshUsers = declared.sshUsers;
        this.mounted = declared.mounted;
        this.registerOutputs({ addresses: this.addresses, sshUsers: this.sshUsers, mounted: this.mounted });
    }

    /** The machines, their volumes, workdir and jobs. */
    private declareNodes(name: string, args: SkyComputeArgs, known: KnownVolume[], plan: ComputePlan): NodeOutputs {
        const keys: SshKeyPair | undefined =
            args.sshPublicKey !== undefined && args.sshPrivateKey !== undefined
                ? { publicKey: args.sshPublicKey, privateKey: pulumi.secret(args.sshPrivateKey) }
                : undefined;
        const machines = declareMachines(name, plan.driver, keys, this);
        const hosts = machines.hosts;
        // Keyless volumes use the machines' own keys where the driver made some (GCS through an HMAC key).
        const volumes = known.map((v) =>
            givenVolumeOf(
                v.credentials === undefined && machines.keylessCredentials ? { ...v, credentials: machines.keylessCredentials } : v,
            ),
        );
        const volume = volumes.length
            ? new SkyVolume(name, { hosts, volumes, geesefs: args.geesefs, aptSource: args.aptSource }, { parent: this })
            : undefined;
        const archive = args.workdir ? archiveWorkdir(args.workdir) : undefined;
        archive?.then(
            (a) => a.warnings.forEach((w) => pulumi.log.warn(w, this)),
            () => undefined,
        );
        const archiveHash = archive ? pulumi.output(archive.then((a) => a.sha256)) : pulumi.output("");
        const jobs: RemoteCommand[] = [];
        for (const host of hosts) {
            const after: pulumi.Resource[] = volume ? [volume] : [];
            if (archive) after.push(this.declareWorkdir(name, host, archive, archiveHash));
            let previous: RemoteCommand | undefined;
            if (plan.setup !== undefined) {
                const setup: pulumi.Input<string> = plan.setup;
                previous = new RemoteCommand(
                    `${name}-${host.name}-setup`,
                    {
                        connection: connectionOf(host),
                        create: pulumi.all([archiveHash, setup]).apply(([h, s]) => runScriptCommand(renderSetupScript(s, h))),
                    },
                    { parent: this, dependsOn: after },
                );
                jobs.push(previous);
            }
            if (plan.run !== undefined) {
                const run: pulumi.Input<string> = plan.run;
                const setup: pulumi.Input<string> = plan.setup ?? "";
                jobs.push(
                    new RemoteCommand(
                        `${name}-${host.name}-run`,
                        {
                            connection: connectionOf(host),
                            // A new workdir or a new setup restarts the run.
                            create: pulumi
                                .all([archiveHash, run, setup])
                                .apply(([h, r, s]) => runScriptCommand(renderRunScript(r, runTrigger(h, s)))),
                            delete: runScriptCommand(renderStopRunScript()),
                        },
                        { parent: this, dependsOn: previous ? [previous] : after },
                    ),
                );
            }
        }
        // Ready once every node's jobs have run, too.
        const mounted: pulumi.Output<string[]> = volume?.mounted ?? pulumi.output([]);
        return {
            addresses: machines.addresses,
            sshUsers: machines.sshUsers,
            mounted: pulumi.all([mounted, pulumi.all(jobs.map((j) => j.stdout))]).apply(([list]) => list),
        };
    }

    /** Unpacks the workdir archive (sent on stdin) on one node; removes it on delete. */
    private declareWorkdir(
        name: string,
        host: SshHost,
        archive: Promise<WorkdirArchive>,
        archiveHash: pulumi.Output<string>,
    ): RemoteCommand {
        return new RemoteCommand(
            `${name}-${host.name}-workdir`,
            {
                connection: connectionOf(host),
                stdin: pulumi.output(archive.then((a) => a.base64)),
                create: archiveHash.apply((h) => runScriptCommand(renderWorkdirScript(h))),
                delete: runScriptCommand(renderRemoveWorkdirScript()),
                check: archiveHash.apply((h) => runScriptCommand(renderWorkdirCheck(h))),
            },
            { parent: this },
        );
    }
}

function connectionOf(host: SshHost): SshConnectionInput {
    return { host: host.host, port: host.port, user: host.user, privateKey: host.privateKey, hostKey: host.hostKey };
}
