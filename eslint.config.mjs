// ESLint for the whole tree (src, test, tools, bench, examples): eslint's and typescript-eslint's
// recommended rules without type information, so it stays fast on two cores (`tsc --noEmit` does the
// type checking). `npm run lint`; tools/test.sh runs it before the tests.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
    globalIgnores(["sdk/", "dist/", "release/", "node_modules/", ".pulumi-state/", ".testbed/", "bench/results/"]),
    {
        // A disable comment that no longer suppresses anything fails, so every one of them stays meaningful.
        linterOptions: { reportUnusedDisableDirectives: "error" },
    },
    {
        files: ["**/*.ts"],
        extends: [js.configs.recommended, tseslint.configs.recommended],
        rules: {
            // Unused parameters kept for a signature (a provider's CRUD, a callback) are written `_name`.
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
        },
    },
    {
        // The plugin's CommonJS launcher (src/provider/plugin/index.js).
        files: ["**/*.js"],
        extends: [js.configs.recommended],
        languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", __dirname: "readonly" } },
    },
);
