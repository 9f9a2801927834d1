// ESLint flat config: ESLint's and typescript-eslint's recommended rules, plus Pulumi's rules against
// Outputs in template literals (they need type information, hence the project service).
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import eslint from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
    // Generated or personal: synth output, dependencies, local state, scratch files (all git-ignored).
    { ignores: ["node_modules/", "out/", "scratch/", ".pulumi/"] },
    eslint.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: path.dirname(fileURLToPath(import.meta.url)) } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            // `import x = require(...)` is how CommonJS-only modules without types are imported; a bare
            // `require()` (a deliberate fresh load under mocks) says why in an eslint-disable comment.
            "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
        },
    },
);
