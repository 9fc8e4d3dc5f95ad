// The file geesefs reads an Azure storage account's name and key from: `$AZURE_CONFIG_DIR/config`,
// an ini file with a [storage] section (geesefs core/cfg/conf_azure.go). Built inside an apply so
// it stays secret; it reaches hosts on stdin only.
import { CredentialValues } from "../../model/storageRef";

export function azureStorageConfigFile(credentials: CredentialValues): string {
    // Account names are lowercase letters and digits and keys are base64: nothing to escape; the
    // quotes keep the key's trailing '=' padding part of the value.
    return `[storage]\naccount = "${credentials.accessKey}"\nkey = "${credentials.secretKey}"\n`;
}
