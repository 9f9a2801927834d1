// Keeps the README honest: its order diagram and dev policy example are what the synth produces.
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { toMermaid } from "../asl/mermaid";
import { readStackFile } from "../stack-config/stack-file";
import { synthesize } from "../synth/run-program";
import { CONFIG_KEYS } from "../stack-config/validate";
import { mocks } from "./helpers/mocks";

const ROOT = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

function fenced(language: string, after: string): string {
    const start = readme.indexOf(after);
    assert.notEqual(start, -1, `README lacks ${after}`);
    const match = new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(readme.slice(start));
    assert.ok(match, `README lacks a ${language} block after ${after}`);
    return match[1];
}

describe("README", () => {
    it("shows the dev order policy and diagram exactly as `npm run synth -- --stack dev` writes them", async () => {
        const dev = await synthesize(readStackFile("dev", ROOT), mocks);
        const order = dev.workflows.find((w) => w.name === "order");
        assert.ok(order);
        assert.deepEqual(JSON.parse(fenced("json", "<!-- dev-order-policy:start -->")), order.policy);
        assert.equal(fenced("mermaid", "## The order saga"), toMermaid(order.definition));
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
