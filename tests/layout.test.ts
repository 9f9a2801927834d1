// The two halves: deploy/ holds exactly what `pulumi up` loads (Pulumi.yaml's `main`) and imports nothing
// outside itself; the tools (tools/), tests and policy pack import it, never the reverse. The lint rule in
// eslint.config.mjs fails an import across the line; this test proves the same from the files themselves,
// and that package.json's runtime dependencies are exactly the packages deploy/ imports.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import * as ts from "typescript";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");
const DEPLOY = path.join(ROOT, "deploy");

function sourceFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { recursive: true })
        .map((f) => path.join(dir, String(f)))
        .filter((f) => f.endsWith(".ts"));
}

/** Every module specifier a file imports (static, `import x = require`, dynamic and `require` calls). */
function importsOf(file: string): string[] {
    return ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles.map((i) => i.fileName);
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (spec: string) =>
    spec
        .split("/")
        .slice(0, spec.startsWith("@") ? 2 : 1)
        .join("/");

describe("the repository's two halves", () => {
    const files = sourceFiles(DEPLOY);

    it("has Pulumi.yaml's `main` and package.json's `main` point into deploy/", () => {
        const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { main?: string };
        assert.equal(project.main, "deploy/");
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string };
        assert.equal(pkg.main, "deploy/index.ts");
        assert.ok(fs.existsSync(path.join(DEPLOY, "index.ts")));
    });

    it("never imports from outside deploy/", () => {
        assert.ok(files.length > 20, `deploy/ has ${files.length} files`);
        for (const file of files)
            for (const spec of importsOf(file).filter((s) => s.startsWith(".")))
                assert.ok(
                    path.resolve(path.dirname(file), spec).startsWith(DEPLOY + path.sep),
                    `${path.relative(ROOT, file)} imports ${spec}, outside deploy/`,
                );
    });

    it("depends at run time on exactly the packages deploy/ imports; every tools-only package is a devDependency", () => {
        const builtins = new Set(builtinModules);
        const imported = new Set(
            files
                .flatMap(importsOf)
                .filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtins.has(s))
                .map(packageOf),
        );
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        assert.deepEqual(Object.keys(pkg.dependencies).sort(), [...imported].sort());
    });

    it("keeps tools-only flags out of deploy/", () => {
        // The local runner routes the deployed https URLs to its sandbox (tools/emulator/routes.ts): deploy/ needs no loopback exception.
        const all = fs
            .readdirSync(DEPLOY, { recursive: true })
            .map((f) => path.join(DEPLOY, String(f)))
            .filter((f) => fs.statSync(f).isFile());
        assert.ok(all.length > files.length, "every file, the OpenAPI contracts too");
        const forbidden = /allowLoopbackHttp|isLoopbackHost|127\.0\.0\.1|localhost/i;
        for (const file of all) {
            const hit = fs.readFileSync(file, "utf8").match(forbidden);
            assert.equal(hit, null, `${path.relative(ROOT, file)} mentions \`${hit?.[0]}\`: deploy/ builds what AWS runs, with no local-runner exception`);
        }
    });
});
