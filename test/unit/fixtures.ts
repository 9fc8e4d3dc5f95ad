// Shapes shared by unit tests.
import { SkyVolumeSpec, VolumeSpec } from "../../src/skyVolume/spec";
import { ed25519KeyPair } from "../support/sshKeyPair";

export const GEESEFS = { url: "http://mirror.test/geesefs-linux-amd64", sha256: "a".repeat(64) };

export function volume(overrides: Partial<VolumeSpec> = {}): VolumeSpec {
    return {
        storage: { bucket: "datasets", endpoint: "http://10.0.0.1:9000", region: "us-east-1", pathStyle: true, hasCredentials: true },
        mount: "/data",
        ...overrides,
    };
}

export function spec(overrides: Partial<SkyVolumeSpec> = {}): SkyVolumeSpec {
    return { hosts: [{ name: "h1" }, { name: "h2" }], volumes: [volume()], geesefs: GEESEFS, ...overrides };
}

/** A real SSH key pair (OpenSSH format), for rules that parse keys. */
export const SSH_KEYS = ed25519KeyPair();
