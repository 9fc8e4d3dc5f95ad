// How wide each transfer pool runs: uploads of a sync's files, parts of one file, server-side copies.
// Each starts at a width that was a good fixed choice and adapts from there (adaptiveWidth.ts), up to
// the user's `concurrency` when set (an upper bound, never a target), else a ceiling that keeps
// sockets and memory bounded. Uploads are also bounded in bytes: large files get their parallelism
// from their parts, so a few of them at once already fill the link.
import {
    COPIES_IN_FLIGHT,
    MAX_COPIES_IN_FLIGHT,
    MAX_PARTS_IN_FLIGHT,
    MAX_UPLOADS_IN_FLIGHT,
    MULTIPART_THRESHOLD_BYTES,
    PART_SIZE_BYTES,
    PARTS_IN_FLIGHT,
    UPLOAD_BYTES_IN_FLIGHT,
    UPLOADS_IN_FLIGHT,
} from "../../internal/limits";
import { AdaptiveWidth } from "./adaptiveWidth";
import type { PoolOptions } from "./pool";

function widthUpTo(initial: number, ceiling: number, concurrency: number | undefined): AdaptiveWidth {
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
        throw new Error(`concurrency: ${concurrency}: must be a whole number >= 1`);
    }
    const maximum = concurrency ?? ceiling;
    return new AdaptiveWidth({ initial: Math.min(initial, maximum), minimum: 1, maximum });
}

/** The pool of a sync's file uploads; tasks carry `uploadFootprint(size)` as their bytes. */
export function uploadPool(concurrency?: number): PoolOptions {
    return { width: widthUpTo(UPLOADS_IN_FLIGHT, MAX_UPLOADS_IN_FLIGHT, concurrency), maxBytesInFlight: UPLOAD_BYTES_IN_FLIGHT };
}

/** What a file of `size` bytes holds in flight while it goes up: all of it, or as many parts as may run at once. */
export function uploadFootprint(size: number): number {
    return size < MULTIPART_THRESHOLD_BYTES ? size : Math.min(size, PART_SIZE_BYTES * MAX_PARTS_IN_FLIGHT);
}

/** The width of one file's parts (S3 multipart, Azure blocks). */
export function partWidth(): AdaptiveWidth {
    return widthUpTo(PARTS_IN_FLIGHT, MAX_PARTS_IN_FLIGHT, undefined);
}

/** The pool of a server-side copy's objects. */
export function copyPool(concurrency?: number): PoolOptions {
    return { width: widthUpTo(COPIES_IN_FLIGHT, MAX_COPIES_IN_FLIGHT, concurrency) };
}
