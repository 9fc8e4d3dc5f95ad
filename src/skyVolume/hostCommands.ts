// The commands SkyVolume declares on one host, by what is known at preview: an install, and per
// volume (named by its mount path) the bucket brought to the host and the bind mount at the path.
// Their scripts are Outputs of the plan, built once every value is known (at apply for a bucket made
// in the same `up`). Two volumes on one bucket each hold its one FUSE mount on the host (a holder
// file per volume, hostScripts/mount.ts): whichever runs first mounts it, the other finds it there, and
// either can go without unmounting the other. The host's commands run one after another (each
// depends on the one before), so two of them never mount, remount or unmount at the same time.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { connectionOf, RemoteCommand } from "../remote";
import { renderInstallScript } from "../hostScripts/install";
import { MountHolder, renderMountScript, renderUnmountScript } from "../hostScripts/mount";
import { fstabLine } from "../hostScripts/fstabLine";
import { copyVolumeFingerprint, renderCopyVolumeScript, renderUncopyVolumeScript } from "../hostScripts/copyVolume";
import { PresentOrigin, renderPresentScript, renderUnpresentScript } from "../hostScripts/present";
import { runScriptCommand } from "../hostScripts/shell";
import { renderCopyCheck, renderInstallCheck, renderMountCheck, renderPresentCheck } from "../hostScripts/check";
import { CopyVolumePlan, FuseMountPlan, InstallPlan, PresentPlan } from "../hostScripts/plan";
import { SshHost } from "../model/host";
import { CredentialValues } from "../model/storageRef";
import { storeFamily } from "../storeFamilies/registry";
import { SettledVolume } from "./givenVolumes";
import { VolumePlan } from "./plan";

/** What one volume gets on a host: its bucket's FUSE mount (shared) or its copy, and its bind mount. */
interface VolumePart {
    fuse?: FuseMountPlan;
    copy?: CopyVolumePlan;
    present: PresentPlan;
    origin: PresentOrigin;
}

function volumePart(plan: VolumePlan, index: number): VolumePart {
    const present = plan.presents.find((p) => p.volume === index)!;
    if (present.fromCopy) {
        const copy = plan.copies.find((c) => c.id === present.mountId)!;
        const origin = { dir: copy.dir, bucket: copy.fuse.bucket, fingerprint: copyVolumeFingerprint(copy, plan.geesefs), fuse: false };
        return { copy, present, origin };
    }
    const fuse = plan.mounts.find((m) => m.id === present.mountId)!;
    return { fuse, present, origin: { dir: fuse.dir, bucket: fuse.bucket, fingerprint: fstabLine(fuse, plan.geesefs), fuse: true } };
}

/** Who holds a bucket's FUSE mount: one volume of one SkyVolume of one stack, stable across runs. */
function holderOf(component: string, path: string): MountHolder {
    const group = `${pulumi.getProject()}/${pulumi.getStack()}/${component}`;
    const description = `${group}:${path}`;
    return { id: createHash("sha256").update(description).digest("hex").slice(0, 16), description, group };
}

/** The keys the mount or copy uses (a writable volume's, when one on the bucket writes), as its family writes them. */
function keyFileOf(part: VolumePart, credentials: (CredentialValues | undefined)[]): string {
    const fuse = part.fuse ?? part.copy!.fuse;
    return fuse.hasCredentials ? storeFamily(fuse.store).geesefs.keyFileText(credentials[fuse.credentialsFrom]!) : "";
}

/** A host's install of fuse3 and geesefs: what its volumes' commands run after. */
export function declareInstall(parent: pulumi.Resource, name: string, host: SshHost, install: pulumi.Output<InstallPlan>): RemoteCommand {
    return new RemoteCommand(
        `${name}-${host.name}-install`,
        {
            connection: connectionOf(host),
            create: install.apply((p) => runScriptCommand(renderInstallScript(p))),
            check: install.apply((p) => runScriptCommand(renderInstallCheck(p))),
        },
        { parent },
    );
}

/** The volumes' commands on one host, in order after its install: per volume (by mount path) its bucket and its bind mount. */
export function declareVolumeCommands(
    parent: pulumi.Resource,
    name: string,
    host: SshHost,
    volumes: SettledVolume[],
    installed: RemoteCommand,
    plan: pulumi.Output<VolumePlan>,
): RemoteCommand[] {
    const connection = connectionOf(host);
    const prefix = `${name}-${host.name}`;
    const credentials = pulumi.all(volumes.map((v) => v.credentials));
    const anyKeys = volumes.some((v) => v.credentials !== undefined);
    // Every mount and copy waits for the syncs that fill the volumes' buckets (ref.filledBy): the
    // scripts are the same strings, but the Output carries the fillers as dependencies.
    const filled = pulumi.all(volumes.flatMap((v) => (v.filledBy !== undefined ? [v.filledBy] : [])));
    const commands: RemoteCommand[] = [];
    let previous: RemoteCommand = installed;
    const byPath = volumes.map((v, index) => ({ path: v.spec.mount, index })).sort((a, b) => a.path.localeCompare(b.path));
    for (const { path, index } of byPath) {
        const part = plan.apply((p) => volumePart(p, index));
        const holder = holderOf(name, path);
        const bucket = new RemoteCommand(
            `${prefix}-mount${path}`,
            {
                connection,
                stdin: anyKeys ? pulumi.all([part, credentials]).apply(([pt, keys]) => keyFileOf(pt, keys)) : undefined,
                create: pulumi
                    .all([plan, part, filled])
                    .apply(([p, pt]) =>
                        runScriptCommand(
                            pt.fuse ? renderMountScript(pt.fuse, p.geesefs, holder) : renderCopyVolumeScript(pt.copy!, p.geesefs),
                        ),
                    ),
                delete: part.apply((pt) =>
                    runScriptCommand(pt.fuse ? renderUnmountScript(pt.fuse, holder) : renderUncopyVolumeScript(pt.copy!)),
                ),
                check: pulumi
                    .all([plan, part])
                    .apply(([p, pt]) =>
                        runScriptCommand(pt.fuse ? renderMountCheck(pt.fuse, p.geesefs) : renderCopyCheck(pt.copy!, p.geesefs)),
                    ),
                // Another bucket (or a COPY in place of a mount) is another thing on the host: this
                // volume's hold of the old one is let go (its delete), then the new one made.
                triggers: part.apply((pt) => [pt.origin.dir]),
            },
            { parent, dependsOn: [previous] },
        );
        const present = new RemoteCommand(
            `${prefix}-present${path}`,
            {
                connection,
                create: part.apply((pt) => runScriptCommand(renderPresentScript(pt.present, pt.origin))),
                delete: part.apply((pt) => runScriptCommand(renderUnpresentScript(pt.present, pt.origin))),
                check: part.apply((pt) => runScriptCommand(renderPresentCheck(pt.present, pt.origin))),
            },
            { parent, dependsOn: [bucket] },
        );
        commands.push(bucket, present);
        previous = present;
    }
    return commands;
}

/** "<host>:<path> <- <bucket>/<prefix> (ro|rw|copy)", per host and volume. */
export function describeVolumes(hosts: SshHost[], plan: VolumePlan): string[] {
    return hosts.flatMap((h) =>
        plan.presents.map((present) => {
            const { origin } = volumePart(plan, present.volume);
            const how = present.fromCopy ? "copy" : present.readOnly ? "ro" : "rw";
            return `${h.name}:${present.target} <- ${origin.bucket}${present.prefix ? `/${present.prefix}` : ""} (${how})`;
        }),
    );
}
