// The data-path protocols skymount speaks, by the `kind` of a sync's or a copy's target. Adding one:
// a module implementing Protocol (protocol.ts) and one entry in PROTOCOLS; every store, copy store and
// records store is opened here, and nothing else in sync/ asks which protocol it has.
import type { CredentialValues } from "../../model/storageRef";
import type { CopyStore, ObjectStore, RecordStore } from "../core/storeInterfaces";
import type { SyncTarget } from "../core/target";
import { azureProtocol } from "./azure";
import type { Protocol } from "./protocol";
import { s3Protocol } from "./s3";

/** A target of any protocol: its `kind` names the protocol, the rest is the protocol's own. */
export interface AnyTarget {
    kind: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each protocol reads its own target type
const PROTOCOLS: Protocol<any>[] = [s3Protocol, azureProtocol];

/** The protocol of `target`; an unknown kind is a bug (store families build the targets). */
export function protocolOf(target: AnyTarget): Protocol<AnyTarget> {
    const protocol = PROTOCOLS.find((p) => p.kind === target.kind);
    if (!protocol) throw new Error(`no data path for targets of kind "${target.kind}": one of ${PROTOCOLS.map((p) => p.kind).join(", ")}`);
    return protocol;
}

/** For tests: adds a protocol and returns the function that removes it again. */
export function registerProtocol<T extends AnyTarget>(protocol: Protocol<T>): () => void {
    if (PROTOCOLS.some((p) => p.kind === protocol.kind)) throw new Error(`protocol "${protocol.kind}" is registered already`);
    PROTOCOLS.push(protocol);
    return () => void PROTOCOLS.splice(PROTOCOLS.indexOf(protocol), 1);
}

// The targets below are the known kinds (SyncTarget); a protocol registered by a test is reached
// with its own target cast to one.

/** Where the store answers, for messages: the endpoint, or AWS S3's regional one. */
export const endpointOf = (target: SyncTarget): string => protocolOf(target).endpoint(target);

export function openObjectStore(target: SyncTarget, credentials: CredentialValues | undefined, bucket: string): ObjectStore {
    return protocolOf(target).objectStore(target, credentials, bucket);
}

export function openCopyStore(target: SyncTarget, credentials: CredentialValues | undefined): CopyStore {
    return protocolOf(target).copyStore(target, credentials);
}

export function openRecordStore(target: SyncTarget, credentials: CredentialValues | undefined, bucket: string): RecordStore {
    return protocolOf(target).recordStore(target, credentials, bucket);
}
