// Keeps the README and docs/ honest: every generated section, in whichever markdown file it lives, is what
// `npm run docs` writes now; the README stays short and its links resolve; every script and config key is documented.
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { generatedSections, markdownFiles, readMarkdown, regenerate, withSections } from "../tools/docs/readme-sections";
import { configReference, configReferenceTable } from "../tools/docs/config-reference";
import { CONFIG_KEYS, SETTING_KEYS } from "../deploy/stack-config/validate";

const ROOT = path.join(__dirname, "..");
const files = readMarkdown(ROOT);
const readme = files["README.md"];

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
const slug = (heading: string) =>
    heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");

const anchorsOf = (text: string) => new Set(text.split("\n").flatMap((line) => (/^#{1,6} /.test(line) ? [slug(line.replace(/^#+ /, "").trim())] : [])));

describe("README and docs/", () => {
    it("have current generated sections in every markdown file: run `npm run docs` when this fails", async () => {
        const sections = await generatedSections();
        assert.match(sections["order-diagram"], /AuthorizePayment/);
        assert.match(sections["dev-order-policy"], /"states:HTTPEndpoint": "https:\/\/api\.stripe\.com\/v1\/payment_intents"/);
        const after = regenerate(files, sections);
        for (const file of markdownFiles(ROOT)) assert.equal(after[file], files[file], `${file} is stale: run \`npm run docs\``);
    });

    it("regenerate refuses a section whose markers are in no file or in two, and replaces content literally", () => {
        const block = (name: string) => `<!-- generated:${name} -->\nold\n<!-- /generated:${name} -->`;
        assert.throws(() => regenerate({ "a.md": "none" }, { x: "new" }), /`x` is in no file/);
        assert.throws(() => regenerate({ "a.md": block("x"), "b.md": block("x") }, { x: "new" }), /`x` is in a\.md and b\.md/);
        assert.deepEqual(regenerate({ "a.md": block("x"), "b.md": "y" }, { x: "$& $1" }), {
            "a.md": "<!-- generated:x -->\n$& $1\n<!-- /generated:x -->",
            "b.md": "y",
        });
        assert.equal(withSections("no markers", { x: "new" }), "no markers");
    });

    it("keeps the README under 250 lines, with every relative link and anchor resolving", () => {
        assert.ok(readme.split("\n").length < 250, `README.md has ${readme.split("\n").length} lines`);
        for (const file of markdownFiles(ROOT)) {
            for (const [, target] of files[file].matchAll(/\]\(((?:\.\.?\/|docs\/|#|[A-Za-z][\w.-]*\.md)[^)\s]*)\)/g)) {
                const [where, anchor] = target.split("#");
                const resolved = where ? path.normalize(path.join(path.dirname(file), where)) : file;
                assert.ok(fs.existsSync(path.join(ROOT, resolved)), `${file} links to ${target}, which does not exist`);
                if (anchor && resolved.endsWith(".md")) {
                    const text = files[resolved] ?? fs.readFileSync(path.join(ROOT, resolved), "utf8");
                    assert.ok(anchorsOf(text).has(anchor), `${file} links to ${target}: ${resolved} has no heading #${anchor}`);
                }
            }
        }
    });

    it("documents every npm script (README or docs/), and every config key in the generated reference", () => {
        const all = Object.values(files).join("\n");
        const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
        for (const script of scripts.filter((s) => !["typecheck"].includes(s))) {
            assert.ok(all.includes(script === "start" || script === "test" ? `npm ${script}` : `npm run ${script}`), script);
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
