// Keeps the README and docs/ honest: every generated section, in whichever markdown file it lives, is what
// `npm run docs` writes now; the README stays short and its links resolve; every script and config key is documented.
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { generatedSections, markdownFiles, readMarkdown, regenerate, withSections } from "../tools/docs/readme-sections";
import { configReference, configReferenceTable } from "../tools/docs/config-reference";
import { CONFIG_KEYS, SETTING_KEYS } from "../deploy/stack-config/validate";
import { commandUsages } from "../tools/docs/command-usage";
import { declaredTypes } from "../tools/docs/deploy-role";
import { stackOutputRows } from "../tools/docs/stack-outputs";
import { runScript } from "./helpers/command";

const ROOT = path.join(__dirname, "..");
const files = readMarkdown(ROOT);
const readme = files["README.md"];
// Two synths and a local order: computed once for the tests that need them.
let sections: ReturnType<typeof generatedSections> | undefined;
const sectionsOnce = () => (sections ??= generatedSections());

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
const slug = (heading: string) =>
    heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");

const anchorsOf = (text: string) => new Set(text.split("\n").flatMap((line) => (/^#{1,6} /.test(line) ? [slug(line.replace(/^#+ /, "").trim())] : [])));

describe("README and docs/", () => {
    it("have current generated sections in every markdown file: run `npm run docs` when this fails", async () => {
        const sections = await sectionsOnce();
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

    it("keeps every generated section's markers in exactly one markdown file", async () => {
        const names = Object.keys(await sectionsOnce());
        for (const name of ["command-usage", "stack-outputs", "sandbox-endpoints", "happy-path", "deploy-role"]) assert.ok(names.includes(name), name);
        for (const name of names) {
            const homes = Object.keys(files).filter((f) => files[f].includes(`<!-- generated:${name} -->`) && files[f].includes(`<!-- /generated:${name} -->`));
            assert.deepEqual(homes.length, 1, `\`${name}\` is in ${homes.join(", ") || "no file"}`);
        }
    });

    it("keeps the README to at most 150 lines, with every relative link and anchor resolving", () => {
        assert.ok(readme.split("\n").length <= 150, `README.md has ${readme.split("\n").length} lines`);
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

    it("generates each command's usage as its --help prints it, and refuses an undocumented output or resource type", async () => {
        const usages = commandUsages(ROOT);
        const synth = usages.find((u) => u.run === "npm run synth");
        assert.equal(`${synth?.usage}\n`, (await runScript("tools/commands/synth.ts", "--help")).stdout);
        assert.ok(usages.some((u) => u.run.endsWith("tools/commands/diff-synth.ts") && u.usage?.startsWith("usage: ")));
        await assert.rejects(stackOutputRows({}, { undocumentedOutput: "x" }), /`undocumentedOutput` has no JSDoc/);
        assert.throws(() => declaredTypes({ dev: [{ type: "aws:foo/bar:Bar", name: "b", inputs: {}, id: "b", state: {} }] }), /`aws:foo\/bar:Bar`: add them/);
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
