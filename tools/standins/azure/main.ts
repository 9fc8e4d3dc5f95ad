// The Azure stand-in plugin's entry (`pulumi-resource-azure-native` for tests, started by the
// launcher that install.ts writes): the types and the function skymount declares for `store: "azure"`
// and the Azure compute driver's identity, at the version of @pulumi/azure-native in the lockfile, so
// that the engine loads it where it would load Microsoft's. Networks, NICs, public IPs and VMs are
// not modelled yet.
import * as provider from "@pulumi/pulumi/provider";
import { CALL_LOG_ENV } from "../callLog";
import { standinVersion } from "../install";
import { standinProvider } from "../standinProvider";
import { blobContainerModel } from "./blobContainer";
import { roleAssignmentModel, userAssignedIdentityModel } from "./identity";
import { resourceGroupModel } from "./resourceGroup";
import { listStorageAccountKeys, storageAccountModel } from "./storageAccount";

if (require.main === module) {
    if (!process.env[CALL_LOG_ENV]) throw new Error(`azure-native stand-in: ${CALL_LOG_ENV} must name the file its calls are recorded in`);
    const azure = standinProvider(
        "azure-native",
        standinVersion("azure-native"),
        {
            "azure-native:resources:ResourceGroup": resourceGroupModel,
            "azure-native:storage:StorageAccount": storageAccountModel,
            "azure-native:storage:BlobContainer": blobContainerModel,
            "azure-native:managedidentity:UserAssignedIdentity": userAssignedIdentityModel,
            "azure-native:authorization:RoleAssignment": roleAssignmentModel,
        },
        { "azure-native:storage:listStorageAccountKeys": listStorageAccountKeys },
    );
    void provider.main(azure, process.argv.slice(2));
}
