// @pulumi/azure-native, loaded on first use: it is very large, and only programs that use Azure
// (SkyStorage's Azure family, SkyCompute's Azure driver) should pay for it.
import type * as azureSdk from "@pulumi/azure-native";
import { loadOptional } from "../../internal/optionalModule";

export function loadAzure(): typeof azureSdk {
    return loadOptional<typeof azureSdk>("@pulumi/azure-native", 'store: "azure"');
}
