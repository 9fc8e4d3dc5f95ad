// SSH key pairs for tests. ssh2's generateKeyPairSync("ed25519") writes about 1 key in 150 with a
// 31-byte public key (a leading zero byte dropped), which ssh2's own parser then refuses as a
// "Malformed OpenSSH private key" (ssh2 1.17.0): a test that generated one failed at random, on a
// validation error instead of what it meant to test. Pairs are generated until ssh2 parses both halves.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ssh2 = require("ssh2") as typeof import("ssh2");

/** The private key's encryption, when it is to be encrypted. */
interface Encryption {
    passphrase: string;
    cipher: string;
    rounds: number;
}

/** An ed25519 key pair (OpenSSH format) that ssh2 reads back. */
export function ed25519KeyPair(encryption?: Encryption): { private: string; public: string } {
    for (let attempt = 1; ; attempt++) {
        const pair = ssh2.utils.generateKeyPairSync("ed25519", encryption ?? {});
        const passphrase = encryption?.passphrase;
        if (!(ssh2.utils.parseKey(pair.private, passphrase) instanceof Error) && !(ssh2.utils.parseKey(pair.public) instanceof Error)) {
            return pair;
        }
        if (attempt >= 100) throw new Error("ssh2 generated 100 ed25519 key pairs it cannot parse");
    }
}
