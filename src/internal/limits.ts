// Every size limit skymount works with, in one place: what decides how a file goes up, how an object
// is copied, and how much may ride in a command's stdin.

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Files below this size are read whole: a stream per small file costs more than its bytes. */
export const BUFFERED_UPLOAD_BYTES = 1 * MiB;
/** Files from this size on go up in parts (S3 multipart upload; Azure Put Block + Put Block List). */
export const MULTIPART_THRESHOLD_BYTES = 32 * MiB;
/** 16 MiB parts (and Azure blocks): S3 allows 10,000 parts, so one file may be up to 156 GiB. */
export const PART_SIZE_BYTES = 16 * MiB;
/** Parts of one file in flight when its upload starts; the width adapts (sync/pool/adaptiveWidth.ts) up to MAX_PARTS_IN_FLIGHT. */
export const PARTS_IN_FLIGHT = 4;
export const MAX_PARTS_IN_FLIGHT = 16;
/** Reads of a file being streamed up: Node's default 64 KiB cost about 30% more CPU per GiB (bench/README.md, "Scale: upload"). */
export const UPLOAD_READ_CHUNK_BYTES = 1 * MiB;

/** Files a sync uploads at once when it starts; the width adapts up to the user's `concurrency`, or MAX_UPLOADS_IN_FLIGHT. */
export const UPLOADS_IN_FLIGHT = 8;
export const MAX_UPLOADS_IN_FLIGHT = 64;
/** Bytes of files in flight at once (a multipart file counts its parts in flight at most): more large files at once only split the link. */
export const UPLOAD_BYTES_IN_FLIGHT = 512 * MiB;
/** Objects a server-side copy copies at once when it starts, and its ceiling: each is one request the store works on. */
export const COPIES_IN_FLIGHT = 16;
export const MAX_COPIES_IN_FLIGHT = 128;

/** S3's CopyObject limit: larger objects are copied in parts with UploadPartCopy. */
export const SINGLE_COPY_MAX_BYTES = 5 * GiB;
/** 512 MiB copy parts: a 5 TiB object (S3's largest) fits in 10,240 of them, so the 10,000-part
 *  limit only grows the part size for the very largest objects. */
export const COPY_PART_SIZE_BYTES = 512 * MiB;
/** Parts of one object copied at once. */
export const COPY_PARTS_IN_FLIGHT = 4;
/** S3's limit on parts per multipart upload. */
export const MAX_PARTS = 10_000;

/** SkyCompute's workdir archive rides in a command's stdin and in state: bulk data belongs in a SkyStorage. */
export const WORKDIR_ARCHIVE_MAX_BYTES = 8 * MiB;
