// The instance's network and the machine's paths, shared by every part of the testbed.
import * as path from "node:path";
import { instance } from "./info";

export const PREFIX = instance.prefix;
export const BRIDGE = `${PREFIX}-br0`;
export const SUBNET = instance.subnet;
export const GATEWAY = `${SUBNET}.1`;

export const cacheDir = process.env.SKYMOUNT_CACHE ?? path.join(process.env.HOME ?? "/root", ".cache", "skymount");
export const binDir = process.env.SKYMOUNT_BIN ?? path.join(cacheDir, "bin");
