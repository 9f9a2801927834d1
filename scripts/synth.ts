/**
 * `npm run synth -- --stack <name> [--out <dir>]`: the `cdk synth` Pulumi lacks. Runs the whole
 * program under Pulumi mocks with `Pulumi.<name>.yaml` (secrets replaced by placeholders) and
 * writes what it declares into `<dir>` (default `out/<name>`). No AWS account, no Pulumi CLI.
 */
import * as path from "path";
import { parseArgs } from "util";
import { readStackFile, listStacks } from "../stack-config/stack-file";
import { ConfigError } from "../stack-config/validate";
import { RecordingMocks } from "../synth/mocks";
import { synthesize } from "../synth/run-program";
import { writeSynthOutput } from "../synth/write";

const ROOT = path.join(__dirname, "..");
const USAGE = "usage: npm run synth -- --stack <name> [--out <dir>] [--stack-dir <dir with Pulumi.<name>.yaml>]";

/** Leaf string values of an object (the placeholder secrets to mask). */
function leaves(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (typeof value === "object" && value !== null) return Object.values(value).flatMap(leaves);
    return [];
}

async function main(): Promise<number> {
    let stack: string | undefined;
    let out: string | undefined;
    let stackDir: string | undefined;
    try {
        ({
            values: { stack, out, "stack-dir": stackDir },
        } = parseArgs({ options: { stack: { type: "string" }, out: { type: "string" }, "stack-dir": { type: "string" } } }));
    } catch (e) {
        console.error(`${(e as Error).message}\n${USAGE}`);
        return 2;
    }
    if (!stack) {
        console.error(`--stack is required (stacks: ${listStacks(ROOT).join(", ")}).\n${USAGE}`);
        return 2;
    }
    const outDir = path.resolve(out ?? path.join(ROOT, "out", stack));
    try {
        const stackFile = readStackFile(stack, stackDir ? path.resolve(stackDir) : ROOT);
        const result = await synthesize(stackFile, new RecordingMocks(stackFile.region));
        const files = writeSynthOutput(result, outDir, leaves(stackFile.secrets));
        console.log(
            `Synthesized stack \`${stack}\` (${stackFile.region}): ${result.resources.length} resources, ${result.workflows.length} workflow${result.workflows.length === 1 ? "" : "s"}.`,
        );
        for (const file of files) console.log(`  ${path.relative(process.cwd(), file)}`);
        return 0;
    } catch (e) {
        console.error(e instanceof ConfigError ? e.message : `Synth failed: ${(e as Error).message}`);
        return 1;
    }
}

main().then((code) => process.exit(code));
