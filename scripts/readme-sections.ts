/**
 * The README's generated sections (the order diagram, the dev policy, the configuration reference): each lives between `<!-- generated:<name> -->` and
 * `<!-- /generated:<name> -->` and is rebuilt from the code by `npm run docs`, so changing the
 * saga means running one command, not editing snapshots. A test fails when a section is stale.
 */
import * as path from "path";
import { toMermaid } from "../asl/mermaid";
import { configReferenceTable } from "../stack-config/reference";
import { readStackFile } from "../stack-config/stack-file";
import { RecordingMocks } from "../synth/mocks";
import { synthesize } from "../synth/run-program";

const ROOT = path.join(__dirname, "..");

/** Every generated section's content, by name, as `npm run synth -- --stack dev` sees the program. */
export async function generatedSections(): Promise<Record<string, string>> {
    const stackFile = readStackFile("dev", ROOT);
    const dev = await synthesize(stackFile, new RecordingMocks(stackFile.region));
    const order = dev.workflows.find((w) => w.name === "order");
    if (!order) throw new Error("The dev stack synthesized no order workflow.");
    return {
        "order-diagram": "```mermaid\n" + toMermaid(order.definition) + "```",
        "dev-order-policy": "```json\n" + JSON.stringify(order.policy, null, 2) + "\n```",
        "config-reference": configReferenceTable(),
    };
}

const marker = (name: string) => new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(\\n<!-- /generated:${name} -->)`);

/** `readme` with every generated section replaced; throws when a section's markers are missing. */
export function withSections(readme: string, sections: Record<string, string>): string {
    let out = readme;
    for (const [name, content] of Object.entries(sections)) {
        if (!marker(name).test(out)) throw new Error(`README.md lacks the markers of the generated section \`${name}\`.`);
        out = out.replace(marker(name), (_, open: string, close: string) => `${open}${content}${close}`);
    }
    return out;
}
