// Where a bucket's FUSE mount lives on a test host, found the way each kind of host keeps it: its
// fstab entry on a host without an init system, its service (`skymount-<id>.service`, whose
// Description names the bucket and the mount point) on a host that boots systemd, where the bucket
// has no fstab entry of its own.
import { onHost, TestbedHost } from "./testbed";

/** The unit file of the service that mounts `bucket` on a systemd host. */
export async function mountUnitFile(host: TestbedHost, bucket: string): Promise<string> {
    return onHost(host, `grep -l '^Description=skymount: bucket ${bucket} at ' /etc/systemd/system/skymount-*.service`);
}

/** The FUSE mount point of `bucket` on `host`. */
export async function fuseMountDir(host: TestbedHost, bucket: string): Promise<string> {
    if (host.init === "systemd") {
        const unitFile = await mountUnitFile(host, bucket);
        return onHost(host, `sed -n 's/^Description=skymount: bucket ${bucket} at //p' ${unitFile}`);
    }
    return onHost(host, `awk '$1 ~ "#${bucket}$" { print $2 }' /etc/fstab`);
}
