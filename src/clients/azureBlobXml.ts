// The Blob API's XML answers that skymount reads: a page of List Blobs, and the error body. Parsed by
// fast-xml-parser, which decodes entities and CDATA. Pure.
import { XMLParser } from "fast-xml-parser";

export interface ListedBlob {
    name: string;
    size: number;
    /** Unquoted, as listings give it. */
    etag: string;
    /** The blob's Content-MD5 (base64) when it has one: Put Blob records it, Put Block List does not. */
    contentMd5?: string;
}

export interface BlobListPage {
    blobs: ListedBlob[];
    /** Where the next page starts; undefined on the last page. */
    nextMarker?: string;
}

/**
 * What the parser makes of an element: its text when it has neither attributes nor children, else
 * an object of its children and attributes (text under "#text"); a repeated child becomes an array.
 */
type XmlValue = string | XmlElement | XmlValue[];
interface XmlElement {
    [name: string]: XmlValue | undefined;
}

/**
 * Every value stays text (an ETag such as "0x1" or a name such as "007" is not a number), and text is
 * kept as written: a blob's name may begin or end with spaces. Attributes under their own names.
 */
const PARSER_OPTIONS = {
    ignoreAttributes: false,
    attributeNamePrefix: "",
    ignoreDeclaration: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
};
const parser = new XMLParser(PARSER_OPTIONS);

/** The document's root elements. Azure starts its bodies with a UTF-8 byte order mark, which the parser does not skip. */
function parse(xml: string): XmlElement {
    try {
        return parser.parse(xml.replace(/^\ufeff/, ""), true) as XmlElement;
    } catch (err) {
        throw new Error(`XML parse error: ${(err as Error).message}`, { cause: err });
    }
}

function textOf(value: XmlValue | undefined): string {
    if (value === undefined || Array.isArray(value)) return "";
    return typeof value === "string" ? value : textOf(value["#text"]);
}

function elementsOf(value: XmlValue | undefined): XmlElement[] {
    const all = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return all.filter((v): v is XmlElement => typeof v === "object" && !Array.isArray(v));
}

/** A blob's name: Azure percent-encodes one holding characters XML cannot carry, and says so with Encoded="true". */
function blobName(value: XmlValue | undefined): string {
    const encoded = typeof value === "object" && !Array.isArray(value) && value.Encoded === "true";
    return encoded ? decodeURIComponent(textOf(value)) : textOf(value);
}

/** One page of a flat List Blobs answer (`<EnumerationResults>`). */
export function parseBlobListPage(xml: string): BlobListPage {
    const root = parse(xml).EnumerationResults;
    if (root === undefined || Array.isArray(root))
        throw new Error(`List Blobs answered without one <EnumerationResults>: ${xml.slice(0, 200)}`);
    const results: XmlElement = typeof root === "string" ? {} : root;
    const blobs = elementsOf(results.Blobs)
        .flatMap((list) => elementsOf(list.Blob))
        .map((blob) => {
            const properties = elementsOf(blob.Properties)[0] ?? {};
            const contentMd5 = textOf(properties["Content-MD5"]);
            return {
                name: blobName(blob.Name),
                size: Number(textOf(properties["Content-Length"])),
                etag: textOf(properties.Etag).replace(/^"|"$/g, ""),
                ...(contentMd5 ? { contentMd5 } : {}),
            };
        });
    const nextMarker = textOf(results.NextMarker);
    return nextMarker ? { blobs, nextMarker } : { blobs };
}

/** The `<Code>` of an error body (`<Error><Code>…</Code><Message>…</Message></Error>`); "" when there is none. */
export function blobErrorCode(body: string): string {
    try {
        const error = parse(body).Error;
        return typeof error === "object" && !Array.isArray(error) ? textOf(error.Code) : "";
    } catch {
        // HEAD answers have no body, and a proxy may answer in HTML: the status says enough then.
        return "";
    }
}
