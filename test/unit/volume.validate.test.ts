import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatIssue } from "../../src/internal/issues";
import { validateSkyVolume } from "../../src/skyVolume/validate";
import { GEESEFS, spec, SSH_KEYS, volume } from "./fixtures";

const storage = (bucket: string, extra: object = {}) => ({ bucket, endpoint: "http://10.0.0.1:9000", hasCredentials: true, ...extra });

// Every rule with the exact message a user sees: "field: value: rule".
const cases: Array<[string, Parameters<typeof spec>[0], string[]]> = [
    ["relative mount path", { volumes: [volume({ mount: "data" })] }, ['volumes[0].mount: "data": must be an absolute path']],
    [
        "system path",
        { volumes: [volume({ mount: "/etc" })] },
        [
            'volumes[0].mount: "/etc": must not be a system path (/, /root, /tmp, /opt, /etc, /usr, /bin, /sbin, /lib, /lib64, /home, /var, /boot, /proc, /sys, /dev, /run, /srv, /mnt, /media)',
        ],
    ],
    [
        "root",
        { volumes: [volume({ mount: "/" })] },
        [
            'volumes[0].mount: "/": must not be a system path (/, /root, /tmp, /opt, /etc, /usr, /bin, /sbin, /lib, /lib64, /home, /var, /boot, /proc, /sys, /dev, /run, /srv, /mnt, /media)',
        ],
    ],
    ["under /proc", { volumes: [volume({ mount: "/proc/data" })] }, ['volumes[0].mount: "/proc/data": must not be under /proc']],
    [
        "skymount's own state",
        { volumes: [volume({ mount: "/var/lib/skymount/x" })] },
        ['volumes[0].mount: "/var/lib/skymount/x": must not be under /var/lib/skymount'],
    ],
    ["trailing slash", { volumes: [volume({ mount: "/data/" })] }, ["volumes[0].mount: \"/data/\": must not end with '/'"]],
    [
        "dot segments",
        { volumes: [volume({ mount: "/data/../etc" })] },
        ["volumes[0].mount: \"/data/../etc\": must be normalized (no empty, '.' or '..' segments)"],
    ],
    [
        "shell characters in mount",
        { volumes: [volume({ mount: "/data$(reboot)" })] },
        ["volumes[0].mount: \"/data$(reboot)\": may contain only letters, digits, '.', '_', '-' and '/'"],
    ],
    [
        "duplicate mount",
        { volumes: [volume(), volume({ storage: storage("other") })] },
        ['volumes[1].mount: "/data": duplicates volumes[0].mount'],
    ],
    [
        "nested mount",
        { volumes: [volume(), volume({ mount: "/data/sub" })] },
        ['volumes[1].mount: "/data/sub": must not be inside volumes[0].mount "/data"'],
    ],
    [
        "nested mount, parent second",
        { volumes: [volume({ mount: "/data/sub" }), volume()] },
        ['volumes[0].mount: "/data/sub": must not be inside volumes[1].mount "/data"'],
    ],
    [
        "prefix charset",
        { volumes: [volume({ prefix: "a b" })] },
        ["volumes[0].prefix: \"a b\": may contain only letters, digits, '.', '_', '-' and '/'"],
    ],
    [
        "absolute prefix",
        { volumes: [volume({ prefix: "/iris" })] },
        ["volumes[0].prefix: \"/iris\": must be relative to the bucket root (no leading '/')"],
    ],
    [
        "prefix escaping upward",
        { volumes: [volume({ prefix: "iris/../x" })] },
        ["volumes[0].prefix: \"iris/../x\": must not contain empty, '.' or '..' segments"],
    ],
    [
        "bad bucket",
        { volumes: [volume({ storage: storage("Bad_Bucket") })] },
        [
            "volumes[0].storage.bucket: \"Bad_Bucket\": must be 3-222 lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit",
        ],
    ],
    [
        "endpoint without scheme",
        { volumes: [volume({ storage: { ...storage("datasets"), endpoint: "minio:9000" } })] },
        ['volumes[0].storage.endpoint: "minio:9000": must be a URL with scheme http:// or https://'],
    ],
    ["unknown mode", { volumes: [volume({ mode: "SYNC" })] }, ['volumes[0].mode: "SYNC": must be one of MOUNT, COPY, MOUNT_CACHED']],
    [
        "writable COPY",
        { volumes: [volume({ mode: "COPY", readOnly: false })] },
        ["volumes[0].readOnly: false: COPY makes a local read-only snapshot; use MOUNT or MOUNT_CACHED to write back to the bucket"],
    ],
    [
        "writable on read-only credentials",
        { volumes: [volume({ readOnly: false, storage: storage("datasets", { credentialsReadOnly: true }) })] },
        ['volumes[0].readOnly: false: the credentials of bucket "datasets" are read-only; use read-write credentials or readOnly: true'],
    ],
    [
        "two FUSE modes on one bucket",
        { volumes: [volume(), volume({ mount: "/cache", mode: "MOUNT_CACHED" })] },
        [
            'volumes[1].mode: "MOUNT_CACHED": bucket "datasets" is mounted with MOUNT by volumes[0]; one bucket has one FUSE mount per host, so use one mode for both',
        ],
    ],
    ["no hosts", { hosts: [] }, ["hosts: []: must list at least one host"]],
    ["duplicate host", { hosts: [{ name: "h1" }, { name: "h1" }] }, ['hosts[1].name: "h1": must be unique among hosts']],
    [
        "bad host name",
        { hosts: [{ name: "Node_1" }] },
        ["hosts[0].name: \"Node_1\": must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit"],
    ],
    ["no volumes", { volumes: [] }, ["volumes: []: must list at least one volume"]],
    [
        "missing geesefs source",
        { geesefs: {} },
        [
            "geesefs.url: (not set): required: the URL of the geesefs linux-amd64 binary to install",
            "geesefs.sha256: (not set): required: the binary's sha256, checked before it is installed",
        ],
    ],
    ["bad checksum", { geesefs: { ...GEESEFS, sha256: "abc" } }, ['geesefs.sha256: "abc": must be 64 lowercase hex digits']],
    ["bad memory limit", { geesefs: { ...GEESEFS, memoryLimitMb: 0 } }, ["geesefs.memoryLimitMb: 0: must be a whole number >= 1"]],
    ["tiny cache", { geesefs: { ...GEESEFS, cacheSizeMb: 10 } }, ["geesefs.cacheSizeMb: 10: must be a whole number >= 64"]],
    ["bad apt source", { aptSource: "http://x" }, ['aptSource: "http://x": must be an apt source line starting with "deb "']],
    [
        "inside a system directory",
        { volumes: [volume({ mount: "/usr/bin/x" })] },
        ['volumes[0].mount: "/usr/bin/x": must not be under /usr'],
    ],
    ["over ssh's configuration", { volumes: [volume({ mount: "/etc/ssh" })] }, ['volumes[0].mount: "/etc/ssh": must not be under /etc']],
    ["under /boot", { volumes: [volume({ mount: "/boot/efi" })] }, ['volumes[0].mount: "/boot/efi": must not be under /boot']],
    ["under /lib64", { volumes: [volume({ mount: "/lib64/x" })] }, ['volumes[0].mount: "/lib64/x": must not be under /lib64']],
    ["under /sys", { volumes: [volume({ mount: "/sys/fs/x" })] }, ['volumes[0].mount: "/sys/fs/x": must not be under /sys']],
    [
        "skymount's logs",
        { volumes: [volume({ mount: "/var/log/skymount/x" })] },
        ['volumes[0].mount: "/var/log/skymount/x": must not be under /var/log/skymount'],
    ],
    [
        "empty prefix segment",
        { volumes: [volume({ prefix: "a//b" })] },
        ["volumes[0].prefix: \"a//b\": must not contain empty, '.' or '..' segments"],
    ],
    ["port out of range", { hosts: [{ name: "h1", port: 70000 }] }, ["hosts[0].port: 70000: must be a whole number from 1 to 65535"]],
    ["empty host address", { hosts: [{ name: "h1", address: " " }] }, ['hosts[0].host: " ": must be a host name or IP address']],
    [
        "private key that does not parse",
        { hosts: [{ name: "h1", privateKeyProblem: "Unsupported key format" }] },
        ["hosts[0].privateKey: (secret): must be an OpenSSH or PEM private key: Unsupported key format"],
    ],
    [
        "host key without a key body",
        { hosts: [{ name: "h1", hostKey: "ssh-ed25519" }] },
        ['hosts[0].hostKey: "ssh-ed25519": must be "<type> <base64>", a line of the host\'s /etc/ssh/ssh_host_*_key.pub'],
    ],
    [
        "host key whose body is not a key",
        { hosts: [{ name: "h1", hostKey: "ssh-ed25519 AAAA" }] },
        [
            'hosts[0].hostKey: "ssh-ed25519 AAAA": must be "<type> <base64>", a line of the host\'s /etc/ssh/ssh_host_*_key.pub: Malformed OpenSSH public key',
        ],
    ],
    [
        "one address under two names",
        {
            hosts: [
                { name: "h1", address: "10.0.0.5" },
                { name: "h2", address: "10.0.0.5", port: 22 },
            ],
        },
        [
            'hosts[1].host: "10.0.0.5": 10.0.0.5:22 is also hosts[0] ("h1"); list each host once (two names would mount everything twice on one machine)',
        ],
    ],
];

describe("validateSkyVolume", () => {
    for (const [name, overrides, expected] of cases) {
        it(`rejects ${name}`, () => {
            assert.deepEqual(validateSkyVolume(spec(overrides)).map(formatIssue), expected);
        });
    }

    it("accepts a valid spec", () => {
        assert.deepEqual(validateSkyVolume(spec()), []);
    });

    it("accepts hosts on one address with two ports, and a host key line with a comment", () => {
        const hosts = [
            { name: "h1", address: "10.0.0.5", port: 2201, hostKey: `${SSH_KEYS.public} root@h1` },
            { name: "h2", address: "10.0.0.5", port: 2202 },
        ];
        assert.deepEqual(validateSkyVolume(spec({ hosts })), []);
    });

    it("gathers every issue at once", () => {
        const issues = validateSkyVolume(spec({ hosts: [], volumes: [volume({ mount: "data", prefix: "/x" })] }));
        assert.deepEqual(
            issues.map((i) => i.path),
            ["hosts", "volumes[0].mount", "volumes[0].prefix"],
        );
    });
});
