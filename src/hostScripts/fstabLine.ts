// How mount(8) starts geesefs for a mount: the fstab line (the mount helper, or the mount's wrapper,
// named in mount.fuse's helper#source form), and the same invocation for a mount that is not in fstab.
import { geesefsOptions } from "./geesefsFlags";
import { MOUNT_HELPER } from "./hostPaths";
import { FuseMountPlan, GeesefsOptions } from "./plan";

/** The program mount(8) runs for a mount: the mount helper, or the mount's wrapper. */
export function mountProgram(mount: FuseMountPlan): string {
    return mount.wrapper?.path ?? MOUNT_HELPER;
}

/** The fstab line for a mount, `<program>#<source> <dir> fuse <options> 0 0`, hence every geesefs
 *  option: a change of it remounts. */
export function fstabLine(mount: FuseMountPlan, options: GeesefsOptions): string {
    const flags = geesefsOptions(mount, options).join(",");
    return `${mountProgram(mount)}#${mount.source} ${mount.dir} fuse ${flags} 0 0`;
}

/** What mount.fuse passes the program, for a mount that is not in fstab (COPY's temporary one):
 *  `<source> <dir> -o <options>`, the one form geesefs reads its flags from inside -o. */
export function mountProgramArgs(mount: FuseMountPlan, options: GeesefsOptions): string[] {
    const flags = geesefsOptions(mount, options).filter((o) => o !== "_netdev");
    return [mount.source, mount.dir, "-o", flags.join(",")];
}
