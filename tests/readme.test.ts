// Keeps the README honest: its generated sections are what `npm run docs` writes now, and it documents
// every script and config key.
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { generatedSections, withSections } from "../scripts/readme-sections";
import { configReference, configReferenceTable } from "../stack-config/reference";
import { CONFIG_KEYS, SETTING_KEYS } from "../stack-config/validate";

const ROOT = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("README", () => {
    it("has current generated sections (the order diagram and the dev policy): run `npm run docs` when this fails", async () => {
        const sections = await generatedSections();
        assert.match(sections["order-diagram"], /AuthorizePayment/);
        assert.match(sections["dev-order-policy"], /"states:HTTPEndpoint": "https:\/\/api\.stripe\.com\/v1\/payment_intents"/);
        assert.equal(withSections(readme, sections), readme, "README.md is stale: run `npm run docs`");
    });

    it("documents every npm script, and every config key in the generated reference", () => {
        const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
        for (const script of scripts.filter((s) => !["typecheck"].includes(s))) {
            assert.ok(readme.includes(script === "start" || script === "test" ? `npm ${script}` : `npm run ${script}`), script);
        }
        const keys = configReference().map((r) => r.key);
        for (const key of [
            ...SETTING_KEYS,
            "aws:region",
            "<api>",
            "<api>.baseUrl",
            "payment.provider",
            ...["password", "apiKey", "clientSecret"].map((c) => `secrets.<api>.${c}`),
        ])
            assert.ok(keys.includes(key), key);
        for (const api of CONFIG_KEYS.filter((k) => !(SETTING_KEYS as readonly string[]).includes(k)))
            assert.ok(configReferenceTable().includes(`\`${api}\``), api);
    });
});
