// skymount's provider, started by @pulumi/pulumi's run-plugin: it exports no component, so run-plugin
// runs it as a program, which serves components and custom resources (src/provider/main.ts). The
// compiled entry when the package is built, else the TypeScript through tsx (no type check).
const fs = require("node:fs");
const path = require("node:path");

const compiled = path.join(__dirname, "..", "..", "..", "dist", "provider", "main.js");
if (fs.existsSync(compiled)) {
    require(compiled);
} else {
    require("tsx/cjs");
    require("../main.ts");
}
