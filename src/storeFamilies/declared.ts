// What a store family's bucket module hands SkyStorage: the bucket's name once it exists, and the
// keys volumes use (read-write for `ref`, read-only for `readOnlyRef`), if the store makes keys.
import * as pulumi from "@pulumi/pulumi";
import { CredentialValues } from "../model/storageRef";

export interface DeclaredBucket {
    /** The bucket's name, known once it exists: children that need the bucket depend on it. */
    name: pulumi.Output<string>;
    credentials?: pulumi.Output<CredentialValues>;
    readOnlyCredentials?: pulumi.Output<CredentialValues>;
    /** Azure: the container's resource ID, where SkyCompute grants its VMs' identity a data role. */
    azureScope?: pulumi.Output<string>;
}
