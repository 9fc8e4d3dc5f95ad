// The wrapper a mount needs when geesefs must run with an environment of its own (Azure: the account
// key is read only from the environment or from $AZURE_CONFIG_DIR/config). An fstab entry can set no
// environment, so mount(8) runs this wrapper (fstab source `<wrapper>#<source>`, type `fuse`:
// mount.fuse's helper#source form), which sets it and hands over to the mount helper, so boot and
// `mount -a` mount each bucket with its own keys.
import { MOUNT_HELPER } from "./hostPaths";
import { GeesefsEnvironment, MountWrapperPlan } from "./plan";
import { commentText, quote } from "./shell";

export function mountWrapperScript(wrapper: MountWrapperPlan): string {
    const { unset, set } = wrapper.environment;
    const env = [...unset.map((name) => `-u ${name}`), ...set.map(([name, value]) => `${name}=${quote(value)}`)].join(" ");
    return ["#!/bin/sh", `# skymount: ${commentText(wrapper.description)}`, `exec env ${env} ${quote(MOUNT_HELPER)} "$@"`, ""].join("\n");
}

/** The same environment as an argv prefix (`env -u … NAME=value`), for a mount made without fstab. */
export function environmentCommand(environment: GeesefsEnvironment | undefined): string[] {
    if (!environment) return [];
    return ["env", ...environment.unset.flatMap((name) => ["-u", name]), ...environment.set.map(([name, value]) => `${name}=${value}`)];
}
