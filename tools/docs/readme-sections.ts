/**
 * The generated sections of the README and the docs/ pages (the order diagram, the dev policy, the configuration
 * reference, the conformance table, every command's usage, the stack outputs, the sandbox endpoints, the happy path
 * and the deploy role's permissions): each lives between `<!-- generated:<name> -->` and `<!-- /generated:<name> -->`
 * in whichever markdown file holds its prose, and is rebuilt from the code by `npm run docs`, so changing the saga
 * means running one command, not editing snapshots. A test fails when a section is stale in any file.
 */
import * as fs from "fs";
import * as path from "path";
import { toMermaid } from "../synth/mermaid";
import { readFailures, readFamilies, renderTable } from "../conformance/report";
import { configReferenceTable } from "./config-reference";
import { listStacks, readStackFile, stackSettings } from "../stack-file";
import { RecordedResource, RecordingMocks } from "../synth/mocks";
import { synthesize } from "../synth/run-program";
import { commandUsageMarkdown } from "./command-usage";
import { stackOutputRows, stackOutputsMarkdown } from "./stack-outputs";
import { sandboxEndpointsMarkdown } from "./sandbox-endpoints";
import { happyPathMarkdown, runSampleOrder } from "./happy-path";
import { deployRoleMarkdown } from "./deploy-role";
import { startScenariosMarkdown } from "./start-scenarios";
import { costReport } from "../commands/cost";

const ROOT = path.join(__dirname, "..", "..");
const PROGRAM = path.join(ROOT, "deploy", "index.ts");

/** Every generated section's content, by name, as `npm run synth` sees the program (dev, and every stack for the deploy role). */
export async function generatedSections(): Promise<Record<string, string>> {
    const stackFile = readStackFile("dev", ROOT);
    const dev = await synthesize(stackFile, new RecordingMocks(stackFile.region), PROGRAM);
    // The program's exports as evaluated for dev (still in the module cache until the next synth), to ask which are secret.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const outputs = await stackOutputRows(require(PROGRAM) as Record<string, unknown>, dev.outputs);
    const order = dev.workflows.find((w) => w.name === "order");
    if (!order) throw new Error("The dev stack synthesized no order workflow.");
    const resources: Record<string, readonly RecordedResource[]> = { dev: dev.resources };
    // One program under mocks at a time: the other stacks in turn.
    for (const stack of listStacks(ROOT).filter((s) => s !== "dev")) {
        const file = readStackFile(stack, ROOT);
        resources[stack] = (await synthesize(file, new RecordingMocks(file.region), PROGRAM)).resources;
    }
    const devCost = costReport("dev", stackSettings(stackFile), Object.fromEntries(dev.workflows.map((w) => [w.name, w.definition])));
    return {
        "order-diagram": "```mermaid\n" + toMermaid(order.definition) + "```",
        "dev-order-policy": "```json\n" + JSON.stringify(order.policy, null, 2) + "\n```",
        "config-reference": configReferenceTable(),
        conformance: renderTable(readFamilies(), readFailures()),
        "command-usage": commandUsageMarkdown(),
        "stack-outputs": stackOutputsMarkdown(outputs),
        "sandbox-endpoints": sandboxEndpointsMarkdown(),
        "happy-path": happyPathMarkdown(await runSampleOrder(), devCost),
        "deploy-role": deployRoleMarkdown(resources),
        "start-scenarios": startScenariosMarkdown(),
    };
}

/**
 * The markdown files that may hold generated sections, relative to the repository root: README.md and every
 * docs/*.md. A section moves between pages by moving its markers; nothing here names where each one lives.
 */
export function markdownFiles(root: string = ROOT): string[] {
    const docs = fs
        .readdirSync(path.join(root, "docs"))
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => `docs/${f}`);
    return ["README.md", ...docs];
}

const marker = (name: string) => new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(\\n<!-- /generated:${name} -->)`);

/** The names of the generated sections whose markers `text` holds. */
export function sectionsIn(text: string, sections: Record<string, string>): string[] {
    return Object.keys(sections).filter((name) => marker(name).test(text));
}

/** `text` with each of `sections` whose markers it holds replaced; sections it does not hold are left to other files. */
export function withSections(text: string, sections: Record<string, string>): string {
    let out = text;
    // A replacer function, so a `$&` or `$1` in a section's content (a JSONata expression) is written as it is.
    for (const name of sectionsIn(text, sections)) out = out.replace(marker(name), (_, open: string, close: string) => `${open}${sections[name]}${close}`);
    return out;
}

/** Each markdown file's text after regeneration, by path; throws when a section's markers are in no file or in two. */
export function regenerate(files: Record<string, string>, sections: Record<string, string>): Record<string, string> {
    const homes = Object.keys(sections).map((name) => [name, Object.keys(files).filter((f) => sectionsIn(files[f], { [name]: "" }).length > 0)] as const);
    const problems = homes
        .filter(([, where]) => where.length !== 1)
        .map(([name, where]) => `\`${name}\` is in ${where.length ? where.join(" and ") : "no file"}`);
    if (problems.length) throw new Error(`Each generated section must live in exactly one markdown file: ${problems.join("; ")}.`);
    return Object.fromEntries(Object.entries(files).map(([f, text]) => [f, withSections(text, sections)]));
}

/** Reads every markdown file of `markdownFiles()` from `root`, by its relative path. */
export function readMarkdown(root: string = ROOT): Record<string, string> {
    return Object.fromEntries(markdownFiles(root).map((f) => [f, fs.readFileSync(path.join(root, f), "utf8")]));
}
