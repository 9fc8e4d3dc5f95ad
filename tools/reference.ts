// `npm run docs:reference`: writes docs/reference/ (the API reference) from sdk/schema.json and the
// example programs. Run it after regenerating the schema or changing an example;
// test/unit/reference.test.ts fails while docs/reference differs from what this writes.
import * as path from "node:path";
import { writeReference } from "./reference/files";

const root = path.join(__dirname, "..");
const outDir = path.resolve(process.argv[2] ?? path.join(root, "docs", "reference"));
const written = writeReference(root, outDir);
console.log(`reference: ${written.length} pages in ${path.relative(process.cwd(), outDir) || "."}`);
