// The GCP stand-in plugin's entry (`pulumi-resource-gcp` for tests, started by the launcher that
// install.ts writes): the storage and identity types skymount declares for `store: "gcs"` and the GCP
// compute driver (its firewall as state), at the version of @pulumi/gcp in the lockfile, so that the
// engine loads it where it would load Google's. compute.Instance is not modelled yet.
import * as provider from "@pulumi/pulumi/provider";
import { CALL_LOG_ENV } from "../callLog";
import { standinVersion } from "../install";
import { standinProvider } from "../standinProvider";
import { gcsBucketModel } from "./bucket";
import { firewallModel } from "./firewall";
import { gcpIamModels } from "./iam";

if (require.main === module) {
    if (!process.env[CALL_LOG_ENV]) throw new Error(`gcp stand-in: ${CALL_LOG_ENV} must name the file its calls are recorded in`);
    const gcp = standinProvider("gcp", standinVersion("gcp"), {
        "gcp:storage/bucket:Bucket": gcsBucketModel,
        "gcp:compute/firewall:Firewall": firewallModel,
        ...gcpIamModels,
    });
    void provider.main(gcp, process.argv.slice(2));
}
