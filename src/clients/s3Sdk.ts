// The AWS SDK's S3 client, loaded when a request is about to be made rather than when skymount is
// imported. A program that only declares resources never sends an S3 request (previews included),
// nor does the dynamic provider answer Check and Diff with one, and loading the SDK costs each of
// them about 70 ms of every `pulumi preview`. Node's module cache makes later calls a lookup.
import type * as S3 from "@aws-sdk/client-s3";

export function s3Sdk(): typeof S3 {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@aws-sdk/client-s3") as typeof S3;
}
