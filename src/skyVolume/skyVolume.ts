// SkyVolume: mount buckets (or a prefix of one) at paths on a list of hosts over SSH. Each volume is
// two commands per host, named by its mount path: its bucket brought to the host (a share of the
// bucket's one FUSE mount there, or a COPY), and its bind mount at the path; all of it through fstab,
// so a reboot brings it back. The scripts are Outputs, built once every value is known: a bucket made
// in the same `up` mounts on the first one.
import * as pulumi from "@pulumi/pulumi";
import { Issue } from "../internal/issues";
import { throwIfIssues } from "../internal/inputError";
import { argsShapeIssues } from "../internal/committedSchema";
import { holdsPending, settle } from "../internal/settle";
import { sshHostSpecOf } from "../remote/hostRules";
import { Geesefs, SkyVolumeArgs } from "../model/volumeArgs";

export type { Geesefs, SkyVolumeArgs, Volume } from "../model/volumeArgs";
import { SkyVolumeSpec } from "./spec";
import { validateOptions, validateSkyVolume, validateVolumes } from "./validate";
import { SettledVolume, settledVolumes, unknownMountIssues, VolumeInputs, volumeInputs, volumeSpecOutput } from "./givenVolumes";
import { planInstall, planSkyVolume, VolumePlan } from "./plan";
import { InstallPlan } from "../hostScripts/plan";
import { declareInstall, declareVolumeCommands, describeVolumes } from "./hostCommands";

/** geesefs's options and the apt source, plain (NOT_KNOWN where unknown at preview). */
export type SettledOptions = Pick<SkyVolumeSpec, "geesefs" | "aptSource">;

/** geesefs's options and the apt source settled: synchronously when given plainly, else a Promise. */
export function settledOptions(args: { geesefs?: Geesefs; aptSource?: pulumi.Input<string> }): SettledOptions | Promise<SettledOptions> {
    const given = { geesefs: args.geesefs, aptSource: args.aptSource };
    return holdsPending(given) ? (settle(given) as Promise<SettledOptions>) : (given as SettledOptions);
}

/** The rules that run at preview, on the hosts and on every value known there (NOT_KNOWN skips a rule). */
function previewIssues(args: SkyVolumeArgs, volumes: SettledVolume[], options: SettledOptions): Issue[] {
    const spec: SkyVolumeSpec = { hosts: (args.hosts ?? []).map(sshHostSpecOf), volumes: volumes.map((v) => v.spec), ...options };
    return [...unknownMountIssues(volumes), ...validateSkyVolume(spec)];
}

/**
 * The plan, once every value is known: at apply for values made in the same `up` (unknown at
 * preview, so the scripts are too). Every rule runs again here, on every value, and a broken one
 * fails the `up` with the same `field: value: rule` text as at preview.
 */
function planOutput(args: SkyVolumeArgs, inputs: VolumeInputs[]): pulumi.Output<VolumePlan> {
    return pulumi.all([pulumi.all(inputs.map(volumeSpecOutput)), optionsOutput(args)]).apply(([volumes, { geesefs, aptSource }]) => {
        const spec = { volumes, geesefs, aptSource };
        throwIfIssues("SkyVolume", validateVolumes(spec));
        return planSkyVolume({ hosts: [], ...spec });
    });
}

/** geesefs's options and the apt source as one Output. */
function optionsOutput(args: SkyVolumeArgs): pulumi.Output<SettledOptions> {
    return pulumi.unsecret(pulumi.output({ geesefs: args.geesefs, aptSource: args.aptSource })) as pulumi.Output<SettledOptions>;
}

/** The install, from geesefs's options and the apt source alone: known at preview when they are. */
function installOutput(args: SkyVolumeArgs): pulumi.Output<InstallPlan> {
    return optionsOutput(args).apply((options) => {
        throwIfIssues("SkyVolume", validateOptions(options));
        return planInstall(options);
    });
}

/**
 * Buckets (or prefixes of them) mounted at paths on SSH hosts with geesefs: one FUSE mount per bucket
 * and host, shared by the volumes on it, each volume a bind mount of it, all of it in fstab so a
 * reboot brings it back.
 */
export class SkyVolume extends pulumi.ComponentResource {
    /** Per host, the volumes mounted there: "<host>:<path> <- <bucket>/<prefix> (ro|rw)". */
    public readonly mounted: pulumi.Output<string[]>;

    constructor(name: string, args: SkyVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
        // Types first: every later rule may then read a field as what its type says.
        throwIfIssues("SkyVolume", argsShapeIssues("SkyVolume", args));
        const inputs = volumeInputs(args.volumes ?? []);
        const volumes = settledVolumes(inputs);
        const options = settledOptions(args);
        if (!(volumes instanceof Promise) && !(options instanceof Promise)) {
            // Plain values (the usual TypeScript program): validated before super(), so bad input
            // registers nothing at all, not even this component.
            throwIfIssues("SkyVolume", previewIssues(args, volumes, options));
            super("skymount:index:SkyVolume", name, {}, opts);
            this.mounted = declareVolumes(this, name, args, inputs, volumes);
        } else {
            // Outputs (another resource's): the rules run on what is known once they settle (at `up`,
            // once every value is in), then the commands are declared.
            super("skymount:index:SkyVolume", name, {}, opts);
            this.mounted = pulumi.output(
                Promise.all([volumes, options]).then(([settled, plain]) => {
                    throwIfIssues("SkyVolume", previewIssues(args, settled, plain));
                    return declareVolumes(this, name, args, inputs, settled);
                }),
            );
        }
        this.registerOutputs({ mounted: this.mounted });
    }
}

/** Every host's commands; the mounted list once they ran. */
function declareVolumes(parent: SkyVolume, name: string, args: SkyVolumeArgs, inputs: VolumeInputs[], volumes: SettledVolume[]) {
    const plan = planOutput(args, inputs);
    const install = installOutput(args);
    // Every host's install first: each host's own work starts as early as it can.
    const installs = args.hosts.map((host) => declareInstall(parent, name, host, install));
    const commands = args.hosts.flatMap((host, i) => [
        installs[i],
        ...declareVolumeCommands(parent, name, host, volumes, installs[i], plan),
    ]);
    return pulumi.all([plan, pulumi.all(commands.map((c) => c.stdout))]).apply(([p]) => describeVolumes(args.hosts, p));
}
