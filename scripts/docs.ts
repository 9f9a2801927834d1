/**
 * `npm run docs`: rewrites the README's generated sections (the order diagram, the dev policy)
 * from the code. Exit 0 and the list of sections written.
 */
import * as fs from "fs";
import * as path from "path";
import { parseCommandLine, printUsage, runCommand } from "../local/command-line";
import { generatedSections, withSections } from "./readme-sections";

const README = path.join(__dirname, "..", "README.md");

const USAGE = "usage: npm run docs   (rewrites README.md's generated sections from the code)";

async function main(argv: readonly string[]): Promise<number> {
    if (parseCommandLine(argv, {}) === "help") return printUsage(USAGE);
    const sections = await generatedSections();
    const before = fs.readFileSync(README, "utf8");
    const after = withSections(before, sections);
    fs.writeFileSync(README, after);
    console.log(`README.md: ${Object.keys(sections).join(", ")} ${before === after ? "already current" : "regenerated"}.`);
    return 0;
}

runCommand(main, USAGE, "docs");
