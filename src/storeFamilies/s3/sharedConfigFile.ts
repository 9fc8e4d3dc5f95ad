// The AWS shared-config file geesefs reads S3 keys from (`--shared-config`).
import { CredentialValues } from "../../model/storageRef";

/** The AWS shared-config file geesefs reads; built inside an apply so it stays secret. */
export function sharedCredentialsFile(credentials: CredentialValues): string {
    return `[default]\naws_access_key_id = ${credentials.accessKey}\naws_secret_access_key = ${credentials.secretKey}\n`;
}
