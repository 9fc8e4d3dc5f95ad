// SkyVolume: mount buckets (or a prefix of one) at paths on a list of hosts over SSH. Each volume is
// two commands per host, named by its mount path: its bucket brought to the host (a share of the
// bucket's one FUSE mount there, or a COPY), and its bind mount at the path; all of it through fstab,
// so a reboot brings it back. The scripts are Outputs, built once every value is known: a bucket made
// in the same `up` mounts on the first one.
import * as pulumi from "@pulumi/pulumi";
import { Issue } from "../internal/issues";
import { throwIfIssues } from "../internal/inputError";
import { shapeIssues } from "../internal/inputShape";
import { skyVolumeShape } from "./argsShape";
import { holdsPending, settle } from "../internal/settle";
import { sshHostSpecOf } from "../remote/hostRules";
import { ShareWith, VolumeMode } from "../model/enums";
import { StorageRef } from "../model/storageRef";
import { SshHost } from "../model/host";
import { GeesefsSpec, SkyVolumeSpec } from "./spec";
import { validateOptions, validateSkyVolume, validateVolumes } from "./validate";
import { SettledVolume, settledVolumes, unknownMountIssues, VolumeInputs, volumeInputs, volumeSpecOutput } from "./givenVolumes";
import { planInstall, planSkyVolume, VolumePlan } from "./plan";
import { InstallPlan } from "../hostScripts/plan";
import { declareInstall, declareVolumeCommands, describeVolumes } from "./hostCommands";

/** A bucket, or a prefix of one, at a path on every host. */
export interface Volume {
    /** The bucket: SkyStorage's `ref` (an output in every language), or a bucket with an endpoint and credentials. */
    storage: pulumi.Input<StorageRef>;
    /** Where the volume appears on each host: an absolute path, not a system directory. Must be known at preview: it names the volume's commands. */
    mount: pulumi.Input<string>;
    /** A key prefix inside the bucket to present instead of the whole bucket. Optional. */
    prefix?: pulumi.Input<string>;
    /** Whether writes are refused (EROFS). Optional. Defaults to true. */
    readOnly?: pulumi.Input<boolean>;
    /** MOUNT (stream through geesefs), COPY or MOUNT_CACHED. Optional. Defaults to "MOUNT". */
    mode?: pulumi.Input<VolumeMode>;
}

/** How geesefs is installed and run. */
export interface Geesefs {
    /** The URL of the geesefs linux-amd64 binary (v0.43.8 is what skymount is tested with). */
    url: pulumi.Input<string>;
    /** The binary's sha256; a download that does not match is not installed. */
    sha256: pulumi.Input<string>;
    /** Data cache in MB per mount. Optional. Defaults to geesefs's 1000. */
    memoryLimitMb?: pulumi.Input<number>;
    /** Seconds file metadata is cached. Optional. Defaults to 60 for read-only mounts and 1 for read-write ones. */
    statCacheTtlSeconds?: pulumi.Input<number>;
    /**
     * Who besides the files' owner (uid, by default the SSH login user) and root may use the volumes:
     * "group" lets the members of the files' group (gid) read and, on a writable volume, write, as
     * the owner does; "everyone" lets every local account of the host do so. The kernel enforces it
     * (each file's owner and mode, checked with default_permissions). Optional. Defaults to nobody:
     * directories 0700, files 0600, so other accounts can neither list, read nor write a volume.
     */
    shareWith?: pulumi.Input<ShareWith>;
    /**
     * Writable mounts: close() waits until the file is in the bucket, so nothing written is lost when
     * a job ends and its VM goes. Slow for many small files. Optional. Defaults to true.
     */
    fsyncOnClose?: pulumi.Input<boolean>;
    /** MOUNT_CACHED: the disk cache's size in MB, enforced by a file system of that size. Optional. Defaults to 10240. */
    cacheSizeMb?: pulumi.Input<number>;
    /** Owner of every file and directory. Optional. Defaults to the SSH login user's uid (root stays root). */
    uid?: pulumi.Input<number>;
    /** Group of every file and directory. Optional. Defaults to the SSH login user's gid (root stays root). */
    gid?: pulumi.Input<number>;
}

export interface SkyVolumeArgs {
    /** The hosts to mount on. */
    hosts: SshHost[];
    /** The volumes every host gets. */
    volumes: Volume[];
    /** geesefs installation and tuning: which binary every host installs. */
    geesefs: Geesefs;
    /** An apt source line written on hosts before fuse3 is installed, for hosts without Debian mirrors. Optional. */
    aptSource?: pulumi.Input<string>;
}

/** geesefs's options and the apt source, plain (NOT_KNOWN where unknown at preview). */
export interface SettledOptions {
    geesefs?: GeesefsSpec;
    aptSource?: string;
}

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
        throwIfIssues("SkyVolume", shapeIssues(skyVolumeShape, args));
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
