// SkyCompute's arguments by type only, checked before any rule reads them (internal/inputShape.ts);
// its volumes, hosts and geesefs block take SkyVolume's shapes. Whether a field must be given is a
// rule of validate.ts or of the provider's driver.
import { z } from "zod";
import { block, list, number, text } from "../internal/inputShape";
import { geesefsShape, sshHostShape, volumeShape } from "../skyVolume/argsShape";

const cloudBlock = { sshCidr: text().optional(), sshUser: text().optional() };

export const skyComputeShape = z
    .object({
        provider: text().optional(),
        nodes: number().optional(),
        instanceType: text().optional(),
        image: text().optional(),
        region: text().optional(),
        zone: text().optional(),
        sshPublicKey: text().optional(),
        sshPrivateKey: text().optional(),
        volumes: list(volumeShape).optional(),
        workdir: text().optional(),
        setup: text().optional(),
        run: text().optional(),
        geesefs: geesefsShape.optional(),
        aptSource: text().optional(),
        ssh: block({ hosts: list(sshHostShape).optional() }).optional(),
        aws: block(cloudBlock).optional(),
        gcp: block({ ...cloudBlock, project: text().optional() }).optional(),
        azure: block({ ...cloudBlock, resourceGroupName: text().optional(), vnetCidr: text().optional() }).optional(),
    })
    .loose();
