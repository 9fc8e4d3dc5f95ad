// A second (and third) key pair on the testbed's MinIO, for credential rotation: MinIO users made
// through its admin API (tools/testbed/minioAdmin.ts), as `mc admin user add` would.
import { madminEncrypt, minioAdmin } from "../../../tools/testbed/minioAdmin";
import type { TestbedInfo } from "./testbed";

/** A MinIO user with the built-in readwrite policy: a key pair of its own. */
export async function addMinioUser(testbed: TestbedInfo, accessKey: string, secretKey: string): Promise<void> {
    const payload = Buffer.from(JSON.stringify({ secretKey, status: "enabled" }));
    await minioAdmin(testbed.s3, "PUT", "add-user", { accessKey }, madminEncrypt(testbed.s3.secretKey, payload));
    await minioAdmin(testbed.s3, "PUT", "set-user-or-group-policy", { policyName: "readwrite", userOrGroup: accessKey, isGroup: "false" });
}

export async function removeMinioUser(testbed: TestbedInfo, accessKey: string): Promise<void> {
    await minioAdmin(testbed.s3, "DELETE", "remove-user", { accessKey });
}
