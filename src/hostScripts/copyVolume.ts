// COPY volumes (sh/copyVolume.sh, sh/uncopyVolume.sh): a local, read-only snapshot of a bucket (or a
// prefix of one). The bucket (or the prefix) is mounted read-only with geesefs for the copy only, read
// with parallel copies into a staging directory that replaces the previous copy in one rename, and
// unmounted again.
// (Server-side copies between buckets are BucketCopy, src/sync/resources/bucketCopy.ts.)
import { PROGRESS_LINE_PREFIX } from "../internal/progressLine";
import { FSTAB_FUNCTIONS } from "./fstab";
import { shareModes } from "./geesefsFlags";
import { mountSpecFunctions } from "./mount";
import { mountProgramArgs } from "./fstabLine";
import { MOUNT_HELPER } from "./hostPaths";
import { environmentCommand } from "./mountWrapper";
import { CopyVolumePlan, GeesefsOptions } from "./plan";
import { renderScript, ScriptValue } from "./scriptFiles";

/** The copy's fingerprint on the host (`<dir>.spec`): what it is of; a change re-copies. */
export function copyVolumeFingerprint(copy: CopyVolumePlan, options: GeesefsOptions): string {
    return `${copy.fuse.endpoint} ${copy.fuse.bucket}/${copy.prefix} ${mountProgramArgs(copy.fuse, options).join(" ")}`;
}

function copyValues(copy: CopyVolumePlan): Record<string, ScriptValue> {
    return {
        bucket: copy.fuse.bucket,
        prefix: copy.prefix,
        dir: copy.dir,
        fuse_dir: copy.fuse.dir,
        creds: copy.fuse.credentialsFile,
        credentials_dir: copy.fuse.credentialsDir ?? "",
    };
}

export function renderCopyVolumeScript(copy: CopyVolumePlan, options: GeesefsOptions): string {
    return renderScript("copyVolume.sh", {
        description: `copy ${copy.fuse.bucket}/${copy.prefix} to ${copy.dir}`,
        values: {
            ...copyValues(copy),
            log_file: copy.fuse.logFile,
            spec: copyVolumeFingerprint(copy, options),
            has_credentials: copy.fuse.hasCredentials,
            // The mount's environment (Azure: AZURE_CONFIG_DIR, a path, not a secret), without its wrapper.
            mount_command: [...environmentCommand(copy.fuse.wrapper?.environment), MOUNT_HELPER, ...mountProgramArgs(copy.fuse, options)],
            progress: PROGRESS_LINE_PREFIX,
            file_mode: shareModes(options.shareWith).file,
            dir_mode: shareModes(options.shareWith).dir,
        },
        functions: [FSTAB_FUNCTIONS, mountSpecFunctions(options)],
    });
}

export function renderUncopyVolumeScript(copy: CopyVolumePlan): string {
    return renderScript("uncopyVolume.sh", {
        description: `remove the copy ${copy.dir}`,
        values: copyValues(copy),
        functions: [FSTAB_FUNCTIONS],
    });
}
