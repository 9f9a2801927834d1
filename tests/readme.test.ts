// Keeps the README honest: its generated sections are what `npm run docs` writes now, and it documents
// every script and config key.
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { generatedSections, withSections } from "../scripts/readme-sections";
import { CONFIG_KEYS } from "../stack-config/validate";

const ROOT = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("README", () => {
    it("has current generated sections (the order diagram and the dev policy): run `npm run docs` when this fails", async () => {
        const sections = await generatedSections();
        assert.match(sections["order-diagram"], /AuthorizePayment/);
        assert.match(sections["dev-order-policy"], /"states:HTTPEndpoint": "https:\/\/api\.stripe\.com\/v1\/payment_intents"/);
        assert.equal(withSections(readme, sections), readme, "README.md is stale: run `npm run docs`");
    });

    it("documents every npm script and every config key", () => {
        const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
        for (const script of scripts.filter((s) => !["typecheck"].includes(s))) {
            assert.ok(readme.includes(script === "start" || script === "test" ? `npm ${script}` : `npm run ${script}`), script);
        }
        // Every top-level key (APIs are documented as `<api>.…`), and every credential under `secrets`.
        const apis = ["payment", "inventory", "shipping", "secrets"];
        const keys = [
            ...CONFIG_KEYS.filter((k) => !apis.includes(k)),
            "<api>.baseUrl",
            ...["password", "apiKey", "clientSecret"].map((c) => `secrets.<api>.${c}`),
        ];
        for (const key of keys) {
            assert.ok(readme.includes(`\`${key}\``), key);
        }
    });
});
