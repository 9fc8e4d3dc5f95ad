// SkyVolume: mount buckets (or a prefix of one) at paths on a list of hosts over SSH. One FUSE mount
// per bucket and host; each volume presented at its path by a bind mount; all of it through fstab,
// so a reboot brings it back.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { throwIfIssues } from "../internal/inputError";
import { shapeIssues } from "../internal/inputShape";
import { skyVolumeShape } from "./argsShape";
import { RemoteCommand } from "../remote";
import { sshHostSpecOf } from "../remote/hostRules";
import { renderInstallScript } from "../hostScripts/install";
import { MountHolder, renderMountScript, renderUnmountScript } from "../hostScripts/mount";
import { fstabLine } from "../hostScripts/fstabLine";
import { copyVolumeFingerprint, renderCopyVolumeScript, renderUncopyVolumeScript } from "../hostScripts/copyVolume";
import { PresentOrigin, renderPresentScript, renderUnpresentScript } from "../hostScripts/present";
import { runScriptCommand } from "../hostScripts/shell";
import { renderCopyCheck, renderInstallCheck, renderMountCheck, renderPresentCheck } from "../hostScripts/check";
import { VolumeMode } from "../model/enums";
import { StorageRef } from "../model/storageRef";
import { SshHost } from "../model/host";
import { storeFamily } from "../storeFamilies/registry";
import { FuseMountPlan, PresentPlan } from "../hostScripts/plan";
import { planSkyVolume, VolumePlan } from "./plan";
import { SkyVolumeSpec } from "./spec";
import { validateSkyVolume } from "./validate";
import { KnownVolume, knownVolumes } from "./knownVolumes";

/** A bucket, or a prefix of one, at a path on every host. */
export interface Volume {
    /** The bucket: SkyStorage's `ref` (an output in every language), or a bucket with an endpoint and credentials. */
    storage: pulumi.Input<StorageRef>;
    /** Where the volume appears on each host: an absolute path, not a system directory. Must be known at preview. */
    mount: pulumi.Input<string>;
    /** A key prefix inside the bucket to present instead of the whole bucket. Optional. */
    prefix?: pulumi.Input<string>;
    /** Whether writes are refused (EROFS). Optional. Defaults to true. */
    readOnly?: pulumi.Input<boolean>;
    /** MOUNT (stream through geesefs), COPY or MOUNT_CACHED. Optional. Defaults to "MOUNT". */
    mode?: pulumi.Input<VolumeMode>;
}

/** @deprecated Renamed to Volume (other languages' SDKs call it VolumeArgs). */
export type VolumeArgs = Volume;

/** How geesefs is installed and run. */
export interface Geesefs {
    /** The URL of the geesefs linux-amd64 binary (v0.43.8 is what skymount is tested with). */
    url: string;
    /** The binary's sha256; a download that does not match is not installed. */
    sha256: string;
    /** Data cache in MB per mount. Optional. Defaults to geesefs's 1000. */
    memoryLimitMb?: number;
    /** Seconds file metadata is cached. Optional. Defaults to 60 for read-only mounts and 1 for read-write ones. */
    statCacheTtlSeconds?: number;
    /**
     * Let users other than the mount's owner use the mounts (adds user_allow_other to /etc/fuse.conf). Optional.
     * Defaults to true when the owner is a login user other than root (FUSE would otherwise lock out even root), else false.
     */
    allowOther?: boolean;
    /**
     * Writable mounts: close() waits until the file is in the bucket, so nothing written is lost when
     * a job ends and its VM goes. Slow for many small files. Optional. Defaults to true.
     */
    fsyncOnClose?: boolean;
    /** MOUNT_CACHED: the disk cache's size in MB, enforced by a file system of that size. Optional. Defaults to 10240. */
    cacheSizeMb?: number;
    /** Owner of every file and directory. Optional. Defaults to the SSH login user's uid (root stays root). */
    uid?: number;
    /** Group of every file and directory. Optional. Defaults to the SSH login user's gid (root stays root). */
    gid?: number;
}

/** @deprecated Renamed to Geesefs (other languages' SDKs call it GeesefsArgs). */
export type GeesefsArgs = Geesefs;

export interface SkyVolumeArgs {
    /** The hosts to mount on. */
    hosts: SshHost[];
    /** The volumes every host gets. */
    volumes: Volume[];
    /** geesefs installation and tuning: which binary every host installs. */
    geesefs: Geesefs;
    /** An apt source line written on hosts before fuse3 is installed, for hosts without Debian mirrors. Optional. */
    aptSource?: string;
}

/** The plain view validation and planning see: credentials reduced to what they allow. */
function specOf(args: SkyVolumeArgs, volumes: KnownVolume[]): SkyVolumeSpec {
    return {
        hosts: (args.hosts ?? []).map(sshHostSpecOf),
        volumes: volumes.map((v) => v.spec),
        geesefs: args.geesefs,
        aptSource: args.aptSource,
    };
}

/** Validated and planned; bad input throws every issue at once. */
function planned(args: SkyVolumeArgs, volumes: KnownVolume[]): VolumePlan {
    const spec = specOf(args, volumes);
    throwIfIssues("SkyVolume", validateSkyVolume(spec));
    return planSkyVolume(spec);
}

/**
 * Buckets (or prefixes of them) mounted at paths on SSH hosts with geesefs: one FUSE mount per bucket
 * and host, each volume a bind mount of it, all of it in fstab so a reboot brings it back.
 */
export class SkyVolume extends pulumi.ComponentResource {
    /** Per host, the volumes mounted there: "<host>:<path> <- <bucket>/<prefix> (ro|rw)". */
    public readonly mounted: pulumi.Output<string[]>;

    constructor(name: string, args: SkyVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
        // Types first: every later rule may then read a field as what its type says.
        throwIfIssues("SkyVolume", shapeIssues(skyVolumeShape, args));
        const volumes = knownVolumes("SkyVolume", args.volumes ?? []);
        if (Array.isArray(volumes)) {
            // Plain values (the usual TypeScript program): validated before super(), so bad input
            // registers nothing at all, not even this component.
            const plan = planned(args, volumes);
            super("skymount:index:SkyVolume", name, {}, opts);
            this.mounted = declareVolumes(this, name, args, volumes, plan);
        } else {
            // Outputs (another resource's, e.g. SkyStorage's `ref` from another language): the children
            // are declared once they settle, and an unknown one at preview fails the component.
            super("skymount:index:SkyVolume", name, {}, opts);
            this.mounted = pulumi.output(volumes.then((known) => declareVolumes(this, name, args, known, planned(args, known))));
        }
        this.registerOutputs({ mounted: this.mounted });
    }
}

/** Every host's commands; the mounted list once they ran. */
function declareVolumes(parent: SkyVolume, name: string, args: SkyVolumeArgs, volumes: KnownVolume[], plan: VolumePlan) {
    const commands: RemoteCommand[] = [];
    for (const host of args.hosts) commands.push(...declareHost(parent, name, host, volumes, plan));
    return pulumi
        .all(commands.map((c) => c.stdout))
        .apply(() => args.hosts.flatMap((h) => plan.presents.map((p) => describePresent(h.name, p, plan))));
}

function describePresent(host: string, present: PresentPlan, plan: VolumePlan): string {
    const bucket = present.fromCopy
        ? plan.copies.find((c) => c.id === present.mountId)!.fuse.bucket
        : plan.mounts.find((m) => m.id === present.mountId)!.bucket;
    const how = present.fromCopy ? "copy" : present.readOnly ? "ro" : "rw";
    return `${host}:${present.target} <- ${bucket}${present.prefix ? `/${present.prefix}` : ""} (${how})`;
}

/** The commands of one host: install, then a mount per bucket or a copy per COPY volume, then a
 *  bind mount per volume. */
function declareHost(parent: SkyVolume, name: string, host: SshHost, volumes: KnownVolume[], plan: VolumePlan): RemoteCommand[] {
    const connection = { host: host.host, port: host.port, user: host.user, privateKey: host.privateKey, hostKey: host.hostKey };
    const prefix = `${name}-${host.name}`;
    // Two stacks (or two SkyVolumes) mounting one bucket on this host share its FUSE mount: each is a
    // holder of it, and only the last one to go unmounts it.
    const holderName = `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
    const holder: MountHolder = { id: createHash("sha256").update(holderName).digest("hex").slice(0, 16), description: holderName };
    const credentialsOf = (fuse: FuseMountPlan) =>
        fuse.hasCredentials
            ? pulumi.output(volumes[fuse.credentialsFrom].credentials!).apply(storeFamily(fuse.store).geesefs.keyFileText)
            : undefined;
    // Orders a mount or copy after the syncs that fill its bucket (ref.filledBy): the script is the
    // same string, but the Output carries the fillers as dependencies.
    const afterFilled = (fuse: FuseMountPlan, script: string): pulumi.Input<string> => {
        const fillers = volumes.filter(
            (v) => v.spec.storage.bucket === fuse.bucket && v.spec.storage.endpoint === fuse.endpoint && v.filledBy !== undefined,
        );
        return fillers.length ? pulumi.all(fillers.map((v) => v.filledBy!)).apply(() => script) : script;
    };
    const install = new RemoteCommand(
        `${prefix}-install`,
        {
            connection,
            create: runScriptCommand(renderInstallScript(plan.install)),
            check: runScriptCommand(renderInstallCheck(plan.install)),
        },
        { parent },
    );
    const commands = [install];
    const present = (p: PresentPlan, origin: PresentOrigin, dependsOn: RemoteCommand) =>
        new RemoteCommand(
            `${prefix}-present${p.target}`,
            {
                connection,
                create: runScriptCommand(renderPresentScript(p, origin)),
                delete: runScriptCommand(renderUnpresentScript(p, origin)),
                check: runScriptCommand(renderPresentCheck(p, origin)),
            },
            { parent, dependsOn: [dependsOn] },
        );
    for (const mount of plan.mounts) {
        const fuse = new RemoteCommand(
            `${prefix}-mount-${mount.bucket}-${mount.id}`,
            {
                connection,
                stdin: credentialsOf(mount),
                create: afterFilled(mount, runScriptCommand(renderMountScript(mount, plan.geesefs, holder))),
                delete: runScriptCommand(renderUnmountScript(mount, holder)),
                check: runScriptCommand(renderMountCheck(mount, plan.geesefs)),
            },
            { parent, dependsOn: [install] },
        );
        commands.push(fuse);
        const origin = { dir: mount.dir, bucket: mount.bucket, fingerprint: fstabLine(mount, plan.geesefs), fuse: true };
        for (const p of plan.presents.filter((p) => !p.fromCopy && p.mountId === mount.id)) commands.push(present(p, origin, fuse));
    }
    for (const copy of plan.copies) {
        const copied = new RemoteCommand(
            `${prefix}-copy${plan.presents.find((p) => p.fromCopy && p.mountId === copy.id)!.target}`,
            {
                connection,
                stdin: credentialsOf(copy.fuse),
                create: afterFilled(copy.fuse, runScriptCommand(renderCopyVolumeScript(copy, plan.geesefs))),
                delete: runScriptCommand(renderUncopyVolumeScript(copy)),
                check: runScriptCommand(renderCopyCheck(copy, plan.geesefs)),
            },
            { parent, dependsOn: [install] },
        );
        commands.push(copied);
        const origin = { dir: copy.dir, bucket: copy.fuse.bucket, fingerprint: copyVolumeFingerprint(copy, plan.geesefs), fuse: false };
        for (const p of plan.presents.filter((p) => p.fromCopy && p.mountId === copy.id)) commands.push(present(p, origin, copied));
    }
    return commands;
}
