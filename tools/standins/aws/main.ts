// The AWS stand-in plugin's entry (`pulumi-resource-aws` for tests, started by the launcher that
// install.ts writes): the S3 and IAM resource types skymount declares for `store: "s3"` and the EC2
// and IAM ones and the getAmi data source it declares for `provider: "aws"`, at the version of
// @pulumi/aws in the lockfile, so that the engine loads it where it would load AWS's.
import * as provider from "@pulumi/pulumi/provider";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CALL_LOG_ENV } from "../callLog";
import { standinProvider } from "../standinProvider";
import { ec2Functions, ec2Models } from "./ec2";
import { ec2InstanceModel } from "./ec2Instance";
import { iamModels } from "./iam";
import { iamRoleModels } from "./iamRole";
import { s3BucketModel } from "./s3Bucket";
import { s3BucketSettingModels } from "./s3BucketSettings";

/** The version the engine asks for: the one @pulumi/aws in node_modules declares. */
export function awsSdkVersion(): string {
    const packageJson = path.join(__dirname, "..", "..", "..", "node_modules", "@pulumi", "aws", "package.json");
    return (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
}

if (require.main === module) {
    if (!process.env[CALL_LOG_ENV]) throw new Error(`aws stand-in: ${CALL_LOG_ENV} must name the file its calls are recorded in`);
    const aws = standinProvider(
        "aws",
        awsSdkVersion(),
        {
            "aws:s3/bucket:Bucket": s3BucketModel,
            ...s3BucketSettingModels,
            ...iamModels,
            ...iamRoleModels,
            ...ec2Models,
            "aws:ec2/instance:Instance": ec2InstanceModel,
        },
        ec2Functions,
    );
    void provider.main(aws, process.argv.slice(2));
}
