// SkyCompute: machines with their volumes mounted, their workdir unpacked, `setup` run and `run`
// started. Provider "ssh" takes existing hosts; aws, gcp and azure declare VMs with identities that
// reach exactly their volumes. The machines come from the provider's driver (src/computeDrivers/registry.ts).
import * as pulumi from "@pulumi/pulumi";
import { SshKeyPair } from "../computeDrivers/driver";
import { declareMachines } from "../computeDrivers/registry";
import { throwIfIssues } from "../internal/inputError";
import { argsShapeIssues } from "../internal/committedSchema";
import { holdsPending, settle } from "../internal/settle";
import { SshHost } from "../model/host";
import { StorageRef } from "../model/storageRef";
import { connectionOf, RemoteCommand } from "../remote";
import {
    renderRemoveWorkdirScript,
    renderRunScript,
    renderSetupScript,
    renderStopRunScript,
    renderWorkdirScript,
} from "../hostScripts/job";
import { renderWorkdirCheck } from "../hostScripts/check";
import { runScriptCommand } from "../hostScripts/shell";
import { SettledVolume, settledVolumes, VolumeInputs, volumeInputs } from "../skyVolume/givenVolumes";
import { Geesefs, settledOptions, SkyVolume, Volume } from "../skyVolume/skyVolume";
import { GivenComputeArgs, SkyComputeArgs } from "../model/computeArgs";
import { liftedComputeArgs, ownInputs, plannedCompute } from "./givenArgs";
import { ComputePlan, runTrigger } from "./plan";
import { archiveWorkdir, WorkdirArchive } from "./workdir";

export type { AwsCompute, AzureCompute, GcpCompute, SkyComputeArgs, SshCompute } from "../model/computeArgs";

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
        // The constructor's parameter must be called `args`: the schema is inferred from it.
        // Types first: every later rule may then read a field as what its type says.
        throwIfIssues("SkyCompute", argsShapeIssues("SkyCompute", args));
        const lifted = liftedComputeArgs(args);
        const inputs = volumeInputs(lifted.volumes ?? []);
        const volumes = settledVolumes(inputs);
        const options = settledOptions(lifted);
        let declared: NodeOutputs;
        if (!(volumes instanceof Promise) && !(options instanceof Promise) && !holdsPending(ownInputs(lifted))) {
            // Plain values (the usual TypeScript program): validated and planned before super(), so bad
            // input registers nothing at all, not even this component.
            const plan = plannedCompute(lifted, ownInputs(lifted), volumes, options);
            super("skymount:index:SkyCompute", name, {}, opts);
            declared = this.declareNodes(name, lifted, inputs, volumes, plan);
        } else {
            // Some field is an Output (a volume's, SkyStorage's `ref` from another language, or SkyCompute's
            // own): validated on what is known once they settle (at `up`, every value), then the machines
            // and volumes are declared; an unknown own field goes on to the resources.
            super("skymount:index:SkyCompute", name, {}, opts);
            const later = Promise.all([volumes, options, settle(ownInputs(lifted))]).then(([settled, plain, own]) =>
                this.declareNodes(name, lifted, inputs, settled, plannedCompute(lifted, own, settled, plain)),
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
    private declareNodes(
        name: string,
        args: GivenComputeArgs,
        inputs: VolumeInputs[],
        known: SettledVolume[],
        plan: ComputePlan,
    ): NodeOutputs {
        const keys: SshKeyPair | undefined =
            args.sshPublicKey !== undefined && args.sshPrivateKey !== undefined
                ? { publicKey: args.sshPublicKey, privateKey: pulumi.secret(args.sshPrivateKey) }
                : undefined;
        const machines = declareMachines(name, plan.driver, keys, this);
        const hosts = machines.hosts;
        // Keyless volumes use the machines' own keys where the driver made some (GCS through an HMAC key).
        const volumes = (args.volumes ?? []).map((given, i): Volume => {
            const credentials = known[i].credentials ?? machines.keylessCredentials;
            return { ...given, storage: { ...inputs[i].ref, credentials } as StorageRef };
        });
        // Optional here because it only matters with volumes; missing with them, SkyVolume refuses it.
        const geesefs = args.geesefs as Geesefs;
        const volume = volumes.length
            ? new SkyVolume(name, { hosts, volumes, geesefs, aptSource: args.aptSource }, { parent: this })
            : undefined;
        const archive = plan.workdir ? archiveWorkdir(plan.workdir) : undefined;
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
                const setup = args.setup!;
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
                const run = args.run!;
                const setup = args.setup ?? "";
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
