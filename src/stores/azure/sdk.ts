// @pulumi/azure-native, loaded on first use: it is very large, and only programs that use Azure
// (SkyStorage's Azure family, SkyCompute's Azure driver) should pay for it.
import type * as azureSdk from "@pulumi/azure-native";

export function loadAzure(): typeof azureSdk {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use: programs that do not use this cloud never load its SDK
    return require("@pulumi/azure-native") as typeof azureSdk;
}
