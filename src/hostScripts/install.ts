// Install script (sh/install.sh): fuse3 from apt, geesefs from a URL (installed only when its sha256
// matches), skymount's mount helper, which every geesefs mount goes through, and its supervisor,
// started there (on systemd hosts as a service).
import { PROGRESS_LINE_PREFIX } from "../internal/progressLine";
import { InstallPlan } from "./plan";
import { GEESEFS_BINARY, MOUNT_HELPER, PRIVATE_DIRS, SUPERVISOR, SYSTEMD_UNIT_DIR } from "./hostPaths";
import { renderMountHelper } from "./mountHelper";
import { renderScript } from "./scriptFiles";
import { renderSupervisor } from "./supervisor";
import { renderSupervisorService, SUPERVISOR_SERVICE } from "./systemdUnits";

export function renderInstallScript(plan: InstallPlan): string {
    return renderScript("install.sh", {
        description: "install fuse3 and geesefs",
        values: {
            geesefs_url: plan.geesefsUrl,
            geesefs_sha256: plan.geesefsSha256,
            geesefs_bin: GEESEFS_BINARY,
            apt_source: plan.aptSource ?? "",
            private_dirs: PRIVATE_DIRS,
            progress: PROGRESS_LINE_PREFIX,
            helper: MOUNT_HELPER,
            helper_text: renderMountHelper(),
            supervisor: SUPERVISOR,
            supervisor_text: renderSupervisor(),
            supervisor_unit: SUPERVISOR_SERVICE,
            supervisor_unit_file: `${SYSTEMD_UNIT_DIR}/${SUPERVISOR_SERVICE}`,
            supervisor_unit_text: renderSupervisorService(),
        },
    });
}
