// Present a volume at its path (sh/present.sh, sh/unpresent.sh): a bind mount of
// `<bucket mount>/<prefix>` (or of a FUSE mount of the prefix itself), read-only when the volume is,
// even if its bucket's FUSE mount writes for another volume (writes then fail with EROFS). A real,
// non-empty directory at the path is an error: skymount never wipes data.
import { createHash } from "node:crypto";
import { STATE_ROOT } from "./hostPaths";
import { PresentPlan } from "./plan";
import { FSTAB_FUNCTIONS } from "./fstab";
import { MOUNT_FUNCTIONS } from "./mountFunctions";
import { renderScript } from "./scriptFiles";
import { mountServiceName } from "./systemdUnits";

export function presentId(present: PresentPlan): string {
    return createHash("sha256").update(present.target).digest("hex").slice(0, 10);
}

/** What a volume shows: a bucket's FUSE mount, or a local copy of (a prefix of) a bucket. */
export interface PresentOrigin {
    /** The FUSE mount point, or the copy's directory. */
    dir: string;
    bucket: string;
    /** The origin's fingerprint (its fstab line, or the copy's fingerprint): when it changes, the bind mount is re-made. */
    fingerprint: string;
    fuse: boolean;
}

/** A volume's fstab entry. x-systemd.requires-mounts-for names the FUSE mount the bind points into:
 *  the supervisor and the mount script find a mount's binds by it. On systemd hosts the FUSE mount is
 *  a service, which x-systemd.requires orders first; mount(8) ignores both (x-* options never reach
 *  the kernel). _netdev makes the bind a remote file system for systemd (after the network, before
 *  remote-fs.target): as a local one it would come before local-fs.target, which comes before every
 *  service, its own bucket's included, and systemd breaks that ordering cycle at boot by dropping a
 *  job, at times the bind's (seen on the testbed's systemd hosts). */
export function presentFstabEntry(present: PresentPlan, origin: PresentOrigin): string {
    const systemdOptions = origin.fuse
        ? `_netdev,x-systemd.requires-mounts-for=${origin.dir},x-systemd.requires=${mountServiceName(present.mountId)}`
        : `x-systemd.requires-mounts-for=${origin.dir}`;
    return `${present.source} ${present.target} none ${present.readOnly ? "bind,ro" : "bind"},${systemdOptions} 0 0`;
}

/** The origin's fingerprint is part of the script: when the FUSE mount or the copy is re-made, the bind
 *  mount that pointed into the old one must be re-made too. */
export function renderPresentScript(present: PresentPlan, origin: PresentOrigin): string {
    const id = presentId(present);
    return renderScript("present.sh", {
        description: `present ${origin.bucket}/${present.prefix} at ${present.target}${present.readOnly ? " read-only" : ""}`,
        values: {
            origin_spec: origin.fingerprint,
            tag: `present:${id}`,
            source: present.source,
            target: present.target,
            mount_dir: origin.dir,
            marker: `${STATE_ROOT}/presents/${id}`,
            presents_dir: `${STATE_ROOT}/presents`,
            prefix: present.prefix,
            bucket: origin.bucket,
            fuse: origin.fuse,
            read_only: present.readOnly,
            fstab_entry: presentFstabEntry(present, origin),
        },
        functions: [FSTAB_FUNCTIONS, MOUNT_FUNCTIONS],
    });
}

export function renderUnpresentScript(present: PresentPlan, _origin: PresentOrigin): string {
    const id = presentId(present);
    return renderScript("unpresent.sh", {
        description: `stop presenting ${present.target}`,
        values: { tag: `present:${id}`, target: present.target, marker: `${STATE_ROOT}/presents/${id}` },
        functions: [FSTAB_FUNCTIONS, MOUNT_FUNCTIONS],
    });
}
