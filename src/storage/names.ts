// Bucket-name rules of each store (S3's, GCS's and Azure containers'), as SkyPilot enforces them.
import { Store } from "./spec";

const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

/** The rules `name` breaks for `store`, each said as a rule ("must …"); empty when valid. */
export function bucketNameRules(store: Store, name: string): string[] {
    switch (store) {
        case "s3":
        case "r2":
        case "s3compatible": {
            const broken: string[] = [];
            if (name.length < 3 || name.length > 63) broken.push("must be 3 to 63 characters long");
            if (!/^[a-z0-9][-a-z0-9.]*[a-z0-9]$/.test(name)) broken.push("may contain only lowercase letters, digits, '.' and '-', and must begin and end with a letter or digit");
            if (name.includes("..")) broken.push("must not contain two adjacent periods");
            if (IPV4.test(name)) broken.push("must not be formatted as an IP address");
            if (name.startsWith("xn--")) broken.push('must not start with "xn--"');
            if (name.endsWith("-s3alias") || name.endsWith("--ol-s3")) broken.push('must not end with "-s3alias" or "--ol-s3"');
            return broken;
        }
        case "gcs": {
            const broken: string[] = [];
            if (name.length < 3 || name.length > 222) broken.push("must be 3 to 222 characters long");
            if (!/^[a-z0-9][-a-z0-9._]*[a-z0-9]$/.test(name)) broken.push("may contain only lowercase letters, digits, '.', '_' and '-', and must begin and end with a letter or digit");
            if (name.split(".").some((part) => part.length > 63)) broken.push("each dot-separated part must be at most 63 characters long");
            if (/\.\.|\.-|-\./.test(name)) broken.push("must not contain '..', '.-' or '-.'");
            if (IPV4.test(name)) broken.push("must not be formatted as an IP address");
            if (name.startsWith("goog") || /google|g00gle|go0gle|g0ogle/.test(name)) broken.push('must not start with "goog" or contain "google" or a look-alike');
            return broken;
        }
        case "azure": {
            const broken: string[] = [];
            if (name.length < 3 || name.length > 63) broken.push("must be 3 to 63 characters long");
            if (!/^[a-z0-9][-a-z0-9]*[a-z0-9]$/.test(name)) broken.push("may contain only lowercase letters, digits and '-', and must begin and end with a letter or digit");
            if (name.includes("--")) broken.push("must not contain two adjacent hyphens");
            return broken;
        }
    }
}
