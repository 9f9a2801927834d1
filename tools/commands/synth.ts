/**
 * `npm run synth -- --stack <name> [--out <dir>]`: the `cdk synth` Pulumi lacks. Runs the whole
 * program under Pulumi mocks with `Pulumi.<name>.yaml` (secrets replaced by placeholders) and
 * writes what it declares into `<dir>` (default `out/<name>`). No AWS account, no Pulumi CLI.
 */
import * as path from "path";
import { parseCommandLine, printUsage, runCommand, stackOption, UsageError } from "./command-line";
import { readStackFile, listStacks, stackSettings } from "../stack-file";
import { localConnections } from "../synth/local-connections";
import { ConfigError } from "../../deploy/stack-config/validate";
import { RecordingMocks } from "../synth/mocks";
import { synthesize } from "../synth/run-program";
import { jsonataProblems } from "../../deploy/asl/jsonata-check";
import { secretLeaves, writeSynthOutput } from "../synth/write";

const ROOT = path.join(__dirname, "..", "..");
const USAGE = "usage: npm run synth -- --stack <name> [--out <dir>] [--stack-dir <dir with Pulumi.<name>.yaml>]";

async function main(argv: readonly string[]): Promise<number> {
    const values = parseCommandLine(argv, { stack: { type: "string" }, out: { type: "string" }, "stack-dir": { type: "string" } });
    if (values === "help") return printUsage(USAGE);
    const stackDir = values["stack-dir"];
    const stack = stackOption(values.stack, listStacks(stackDir ? path.resolve(stackDir) : ROOT));
    const out = values.out;
    // `path.resolve("")` is the working directory: an empty `--out` would write into the repository root.
    if (out !== undefined && out.trim() === "") throw new UsageError("`--out` needs a folder, e.g. `out/dev`.");
    const outDir = path.resolve(out ?? path.join(ROOT, "out", stack));
    try {
        const stackFile = readStackFile(stack, stackDir ? path.resolve(stackDir) : ROOT);
        // Checks the program cannot make under Pulumi (a plaintext leaf beside a `secure:` one) run first.
        const settings = stackSettings(stackFile);
        const result = await synthesize(stackFile, new RecordingMocks(stackFile.region));
        // What AWS would run differently from how it reads is refused before anything is written.
        const problems = result.workflows.flatMap((w) => jsonataProblems(w.definition).map((p) => `${w.name}: ${p}`));
        if (problems.length > 0) {
            console.error(`Synth refused stack \`${stack}\`: ${problems.length} JSONata problem(s).\n${problems.map((p) => `  ${p}`).join("\n")}`);
            return 1;
        }
        const files = writeSynthOutput(result, outDir, secretLeaves(stackFile.secrets), {
            "connections.local.json": localConnections(settings, result.outputs),
        });
        if (stackFile.environments.length > 0)
            console.log(
                `note: stack \`${stack}\` imports Pulumi ESC environment(s) ${stackFile.environments.map((e) => `\`${e}\``).join(", ")}, which synth cannot resolve: config they provide is missing here. Put those keys in Pulumi.${stack}.yaml for synth, or check with \`pulumi preview\` (which resolves them).`,
            );
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

runCommand(main, USAGE, "synth", module);
