/**
 * Regenerates the vendored conformance data (`tests/conformance/data/<family>.json`) from a
 * LocalStack checkout: `npm run conformance:import -- <work tree>` or `-- --git <git dir>`.
 * Each case is one execution LocalStack recorded on AWS, with the definition it ran; cases that
 * need a service the project does not emulate, or whose values AWS drew at random or from the
 * clock, are listed under `skipped` with the reason. Then, if `tools/conformance/test-state.ts`
 * exists, its TestState cases are imported too.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildCase, ConformanceCase, createRefusal, recordedExecutions, refusedCase, SkippedCase, unsupported } from "./cases";
import { CheckoutReader, gitCommit, gitReader, workTreeReader } from "./checkout";
import { choiceOperatorCases } from "./choice-operators";
import { INLINE_DEFINITIONS, staleConstants } from "./constants";
import { FAMILIES, SFN_TEMPLATES, SFN_TESTS } from "./families";
import { parseJson5 } from "./json5";
import { templateRegistry, testFunctions } from "./python";
import { resolveDefinition, testFile } from "./resolve";

/** Where the data goes. */
export const DATA_DIR = path.join(__dirname, "../../tests/conformance/data");

/** The data file of one family. */
export interface FamilyData {
    readonly family: string;
    readonly source: { readonly repository: string; readonly commit: string; readonly license: string };
    readonly cases: ConformanceCase[];
    readonly skipped: SkippedCase[];
}

/** Imports one family from the checkout. */
export function importFamily(reader: CheckoutReader, family: string, commit: string, registry: Map<string, string>): FamilyData {
    const files = FAMILIES[family].flatMap((entry) =>
        entry.endsWith("/") ? reader.list(`${SFN_TESTS}/${entry}`).filter((f) => /\/test_\w+\.py$/.test(f)) : [`${SFN_TESTS}/${entry}.py`],
    );
    const cases: ConformanceCase[] = [];
    const skipped: SkippedCase[] = [];
    for (const file of files) {
        const py = testFile(reader, file, registry);
        const tests = new Map(testFunctions(py.text).map((t) => [t.name, t]));
        const replacements = [...py.text.matchAll(/Transformer\([^)]*?,\s*(?:replacement=)?"([^"]+)"/g)].map((m) => m[1]);
        const snapshot = JSON.parse(reader.read(file.replace(/\.py$/, ".snapshot.json"))) as Record<
            string,
            { "recorded-date": string; "recorded-content": Record<string, unknown> }
        >;
        for (const [key, entry] of Object.entries(snapshot)) {
            if (!key.startsWith(`${SFN_TESTS}/`)) {
                skipped.push({ id: key, reason: "a stale snapshot entry under the test's old path (a newer one is recorded under the current path)" });
                continue;
            }
            const id = key.slice(SFN_TESTS.length + 1);
            const m = /::(\w+)(?:\[(.*)\])?$/.exec(key);
            const test = m && tests.get(m[1]);
            const content = entry["recorded-content"];
            const add = (c: ConformanceCase | SkippedCase) => ("reason" in c ? skipped.push(c) : cases.push(c));
            if (!test) {
                add({ id, reason: "test function not found in the .py" });
                continue;
            }
            if (Array.isArray(content.cases)) {
                choiceOperatorCases(reader, parseJson5, id, test, entry["recorded-date"], content.cases as never, py.text).forEach(add);
                continue;
            }
            const executions = recordedExecutions(content);
            const refusal = createRefusal(content);
            if (executions.length === 0 && refusal) {
                const resolved = resolveDefinition(py, test, m[2]);
                const reason = ("skip" in resolved ? resolved.skip : undefined) ?? (resolved.definition && unsupported(resolved.definition));
                if (reason || !("template" in resolved)) add({ id, reason: reason || "no definition" });
                else add(refusedCase(id, entry["recorded-date"], resolved.template.slice(SFN_TEMPLATES.length + 1), resolved.definition, refusal));
                continue;
            }
            if (executions.length === 0) {
                add({ id, reason: `no execution history recorded (snapshot keys: ${Object.keys(content).join(", ")})` });
                continue;
            }
            const inline = INLINE_DEFINITIONS[id];
            const resolved = inline
                ? { definition: inline(), template: `${SFN_TEMPLATES}/(inline in ${file.slice(SFN_TESTS.length + 1)})` }
                : resolveDefinition(py, test, m[2]);
            // A case that needs another AWS service says so, even when its patch was not read.
            const foreign = resolved.definition && unsupported(resolved.definition);
            const reason = foreign || ("skip" in resolved ? resolved.skip : undefined);
            for (const [name, events] of executions) {
                const caseId = executions.length > 1 ? `${id}#${name}` : id;
                if (reason || "skip" in resolved) add({ id: caseId, reason: reason ?? "" });
                else
                    add(
                        buildCase(
                            caseId,
                            entry["recorded-date"],
                            resolved.template.slice(SFN_TEMPLATES.length + 1),
                            structuredClone(resolved.definition),
                            events,
                            replacements,
                        ),
                    );
            }
        }
    }
    const source = { repository: "https://github.com/localstack/localstack", commit, license: "Apache-2.0" };
    return { family, source, cases, skipped };
}

/** Writes every family's data file and returns the counts. */
export async function importAll(reader: CheckoutReader, commit: string): Promise<Record<string, { cases: number; skipped: number }>> {
    const registry = templateRegistry(reader, SFN_TEMPLATES);
    const stale = staleConstants((file) => reader.read(file), SFN_TEMPLATES);
    if (stale.length > 0) throw new Error(`tools/conformance/constants.ts is out of date with the checkout: ${stale.join(", ")}.`);
    const counts: Record<string, { cases: number; skipped: number }> = {};
    fs.mkdirSync(DATA_DIR, { recursive: true });
    for (const family of Object.keys(FAMILIES)) {
        const data = importFamily(reader, family, commit, registry);
        fs.writeFileSync(path.join(DATA_DIR, `${family}.json`), `${JSON.stringify(data, null, 1)}\n`);
        counts[family] = { cases: data.cases.length, skipped: data.skipped.length };
    }
    // The TestState family is another helper's module; it is optional until it exists.
    const testState = path.join(__dirname, "test-state.ts");
    if (fs.existsSync(testState)) {
        const { importTestStateCases } = (await import(testState)) as { importTestStateCases(source: CheckoutReader): Promise<void> };
        await importTestStateCases(reader);
    }
    return counts;
}

async function main(args: string[]): Promise<void> {
    const gitAt = args.indexOf("--git");
    const gitDir = gitAt >= 0 ? args[gitAt + 1] : undefined;
    const root = args.find((a, i) => !a.startsWith("--") && i !== gitAt + 1);
    if (!gitDir && !root) throw new Error("Usage: `npm run conformance:import -- <localstack work tree>` or `-- --git <localstack git dir>`.");
    const reader = gitDir ? gitReader(gitDir) : workTreeReader(root as string);
    const commit = gitDir ? gitCommit(gitDir) : gitCommit(path.join(root as string, ".git"));
    const counts = await importAll(reader, commit);
    for (const [family, { cases, skipped }] of Object.entries(counts)) console.log(`${family}: ${cases} cases, ${skipped} skipped`);
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e: Error) => {
        console.error(e.message);
        process.exit(1);
    });
}
