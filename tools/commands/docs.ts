/**
 * `npm run docs`: the one command that rewrites every generated part of the documentation from the code: the
 * generated sections of README.md and docs/*.md (the order diagram, the dev policy, the configuration reference, the
 * conformance table, wherever their markers are), docs/conformance.md from the vendored conformance data, and
 * docs/cost.md from `npm run cost` for every stack. Exit 0 and the list of files written.
 */
import * as fs from "fs";
import * as path from "path";
import { parseCommandLine, printUsage, runCommand } from "./command-line";
import { writeReport } from "../conformance/report";
import { generatedSections, readMarkdown, regenerate, sectionsIn } from "../docs/readme-sections";
import { costMarkdown, CostReport, stackCostReport } from "./cost";
import { listStacks } from "../stack-file";

const ROOT = path.join(__dirname, "..", "..");

const USAGE = "usage: npm run docs   (rewrites the generated sections of README.md and docs/*.md, docs/conformance.md and docs/cost.md from the code)";

async function main(argv: readonly string[]): Promise<number> {
    if (parseCommandLine(argv, {}) === "help") return printUsage(USAGE);
    const sections = await generatedSections();
    const before = readMarkdown(ROOT);
    const after = regenerate(before, sections);
    for (const [file, text] of Object.entries(after)) {
        const names = sectionsIn(text, sections);
        if (names.length === 0) continue;
        if (text !== before[file]) fs.writeFileSync(path.join(ROOT, file), text);
        console.log(`${file}: ${names.join(", ")} ${before[file] === text ? "already current" : "regenerated"}.`);
    }
    writeReport();
    console.log("docs/conformance.md: regenerated.");
    // Each stack is synthesized in turn (one program under mocks at a time).
    const reports: CostReport[] = [];
    for (const stack of listStacks(ROOT)) reports.push(await stackCostReport(stack));
    fs.writeFileSync(path.join(ROOT, "docs", "cost.md"), costMarkdown(reports));
    console.log("docs/cost.md: regenerated.");
    return 0;
}

runCommand(main, USAGE, "docs", module);
