// SkyVolume's arguments by type only, checked before any rule reads them (internal/inputShape.ts).
// Every field is optional here: whether one must be given is a rule of validate.ts, with its own
// message. SkyCompute checks its volumes, hosts and geesefs block with the same shapes.
import { z } from "zod";
import { block, flag, input, list, number, text } from "../internal/inputShape";

export const sshHostShape = input(
    block({
        name: text().optional(),
        host: text().optional(),
        port: number().optional(),
        user: text().optional(),
        privateKey: text().optional(),
        hostKey: text().optional(),
    }),
);

const storageRefShape = input(
    block({
        store: text().optional(),
        bucket: text().optional(),
        endpoint: text().optional(),
        region: text().optional(),
        pathStyle: flag().optional(),
        readOnly: flag().optional(),
        credentials: input(block({ accessKey: text().optional(), secretKey: text().optional() })).optional(),
        filledBy: list(text()).optional(),
        azureScope: text().optional(),
    }),
);

export const volumeShape = input(
    block({
        storage: storageRefShape.optional(),
        mount: text().optional(),
        prefix: text().optional(),
        readOnly: flag().optional(),
        mode: text().optional(),
    }),
);

export const geesefsShape = block({
    url: text().optional(),
    sha256: text().optional(),
    memoryLimitMb: number().optional(),
    statCacheTtlSeconds: number().optional(),
    shareWith: text().optional(),
    fsyncOnClose: flag().optional(),
    cacheSizeMb: number().optional(),
    uid: number().optional(),
    gid: number().optional(),
});

export const skyVolumeShape = z
    .object({
        hosts: list(sshHostShape).optional(),
        volumes: list(volumeShape).optional(),
        geesefs: geesefsShape.optional(),
        aptSource: text().optional(),
    })
    .loose();
