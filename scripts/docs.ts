/**
 * `npm run docs`: rewrites the README's generated sections (the order diagram, the dev policy)
 * from the code. Exit 0 and the list of sections written.
 */
import * as fs from "fs";
import * as path from "path";
import { generatedSections, withSections } from "./readme-sections";

const README = path.join(__dirname, "..", "README.md");

generatedSections()
    .then((sections) => {
        const before = fs.readFileSync(README, "utf8");
        const after = withSections(before, sections);
        fs.writeFileSync(README, after);
        console.log(`README.md: ${Object.keys(sections).join(", ")} ${before === after ? "already current" : "regenerated"}.`);
        process.exit(0);
    })
    .catch((e: Error) => {
        console.error(`docs failed: ${e.message}`);
        process.exit(1);
    });
