// A host the components reach over SSH: given by the program (SkyVolume, SkyCompute's ssh provider) or
// made by a compute driver.
import type * as pulumi from "@pulumi/pulumi";

/** A host reached over SSH. */
export interface SshHost {
    /** A short name, unique among the hosts: it names the host's child resources. */
    name: string;
    /** The host's address. */
    host: pulumi.Input<string>;
    /** The SSH port. Optional. Defaults to 22. @integer */
    port?: pulumi.Input<number>;
    /** The SSH user, root or with passwordless sudo. Optional. Defaults to "root". */
    user?: pulumi.Input<string>;
    /** The SSH private key (its text). Kept secret. @secret */
    privateKey: pulumi.Input<string>;
    /** The host's public key line; when set, any other key is refused. Optional. */
    hostKey?: pulumi.Input<string>;
}
