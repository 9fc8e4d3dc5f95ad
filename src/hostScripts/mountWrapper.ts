// The wrapper a mount needs when geesefs must run with an environment of its own (Azure: the account
// key is read only from the environment or from $AZURE_CONFIG_DIR/config). An fstab entry can set no
// environment, so mount(8) runs this wrapper (fstab source `<wrapper>#<source>`, type `fuse`:
// mount.fuse's helper#source form), which sets it and hands over to the mount helper, so boot and
// `mount -a` mount each bucket with its own keys.
import { MOUNT_HELPER } from "./hostPaths";
import { GeesefsEnvironment, MountWrapperPlan } from "./plan";
import { assignments, renderScript, shellName } from "./scriptFiles";

/** The wrapper program (sh/mountWrapper.sh), with its environment: inherited variables unset, the
 *  mount's own exported. */
export function mountWrapperScript(wrapper: MountWrapperPlan): string {
    const { unset, set } = wrapper.environment;
    return renderScript("mountWrapper.sh", {
        description: wrapper.description,
        values: { helper: MOUNT_HELPER },
        preamble: [
            ...(unset.length > 0 ? [`unset ${unset.map(shellName).join(" ")}`] : []),
            ...assignments(Object.fromEntries(set)).map((line) => `export ${line}`),
        ],
    });
}

/** The same environment as an argv prefix (`env -u … NAME=value`), for a mount made without fstab. */
export function environmentCommand(environment: GeesefsEnvironment | undefined): string[] {
    if (!environment) return [];
    return ["env", ...environment.unset.flatMap((name) => ["-u", name]), ...environment.set.map(([name, value]) => `${name}=${value}`)];
}
