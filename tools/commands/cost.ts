/**
 * `npm run cost -- --stack <name> [--page-seconds <s>]`: what the stack's workflows cost at AWS's
 * list prices (`tools/cost/cost.ts`, docs/aws-facts.md §23), from the synthesized definitions and the stack
 * config: per order (happy path, and with every configured retry) and per collection run at its
 * caps, per million pages, beside what the same pages cost in a Standard page loop. The last line
 * is JSON.
 */
import * as path from "path";
import { costliestPath, expressCost, expressGbSeconds, happyPath, PRICES, standardCost, withConfiguredRetries } from "../cost/cost";
import { StateMachineDefinition } from "../../deploy/asl/types";
import { allStates } from "../../deploy/asl/walk";
import { parseCommandLine, printUsage, runCommand, stackOption, UsageError } from "./command-line";
import { listStacks, readStackFile, stackSettings } from "../stack-file";
import { StackSettings } from "../../deploy/stack-config/types";
import { RecordingMocks } from "../synth/mocks";
import { synthesize } from "../synth/run-program";
import { capShape, runCost, standardTransitionsPerPage } from "../cost/collect-cost";
import { ORDER_CAPTURE_STATE } from "../../deploy/workflows/order/definition";

const ROOT = path.join(__dirname, "..", "..");
const USAGE = "usage: npm run cost -- --stack <name> [--page-seconds <seconds per page, default 1>]";

/** An Express order's duration is the APIs', not AWS's: UNKNOWN, so 1 s per Task on its path is assumed (and printed). */
const EXPRESS_SECONDS_PER_TASK = 1;

/** The cost report of one stack (what the last line prints). */
export interface CostReport {
    readonly stack: string;
    readonly prices: { readonly source: string; readonly read: string; readonly region: string };
    readonly order?: {
        readonly type: string;
        readonly transitions: number;
        readonly cheapestTransitions: number;
        readonly transitionsWithRetries: number;
        readonly usdPer1000: number;
        readonly usdPer1000WithRetries: number;
    };
    readonly collection?: {
        readonly childTypes: string[];
        readonly pagesPerRun: number;
        readonly usdPerRun: number;
        readonly usdPerRunWithRetries: number;
        readonly usdPerMillionPages: number;
        readonly standardLoopUsdPerMillionPages: number;
        readonly timesCheaper: number;
        readonly pageSecondsAssumed: number;
    };
}

/** The report of `stack` from its settings and synthesized definitions. */
export function costReport(stack: string, settings: StackSettings, definitions: Record<string, StateMachineDefinition>, pageSeconds = 1): CostReport {
    const round = (usd: number) => Number(usd.toPrecision(4));
    const report: { -readonly [K in keyof CostReport]: CostReport[K] } = { stack, prices: { source: PRICES.source, read: PRICES.read, region: PRICES.region } };
    const order = definitions.order;
    if (order) {
        // Priced on the costliest happy path (e.g. an intent found by search, then authorized); the cheapest is shown too.
        const path = costliestPath(order);
        const retried = withConfiguredRetries(order, path);
        const tasks = path.states.filter((s) => order.States[s].Type === "Task").length;
        const priced = (transitions: number) =>
            settings.workflow.type === "EXPRESS" ? expressCost(1, expressGbSeconds(tasks * EXPRESS_SECONDS_PER_TASK * 1000)) : standardCost(transitions);
        report.order = {
            type: settings.workflow.type,
            transitions: path.transitions,
            cheapestTransitions: happyPath(order, ORDER_CAPTURE_STATE).transitions,
            transitionsWithRetries: retried,
            usdPer1000: round(1000 * priced(path.transitions)),
            usdPer1000WithRetries: round(1000 * priced(retried)),
        };
    }
    const collect = definitions.collect;
    if (collect && settings.collect) {
        const sources = settings.collect.sources;
        const shapes = Object.fromEntries(sources.map((s) => [s.name, capShape(collect, s)]));
        const run = runCost(collect, settings.collect, shapes, pageSeconds);
        const retried = runCost(collect, settings.collect, shapes, pageSeconds, true);
        // Today's loop: every page a Standard child's transitions (the fetch, which reshapes the page in its JSONata `Output`, check, store, more pages?).
        const standard = sources.reduce((usd, s) => usd + standardCost(shapes[s.name].stored * standardTransitionsPerPage(collect, s)), 0);
        const perMillion = (usd: number) => (usd / run.pages) * 1_000_000;
        report.collection = {
            childTypes: childTypes(collect),
            pagesPerRun: run.pages,
            usdPerRun: round(run.usd),
            usdPerRunWithRetries: round(retried.usd),
            usdPerMillionPages: round(perMillion(run.usd)),
            standardLoopUsdPerMillionPages: round(perMillion(standard)),
            timesCheaper: Math.floor(standard / run.usd),
            pageSecondsAssumed: pageSeconds,
        };
    }
    return report;
}

/** `<label>: EXPRESS|STANDARD` of each Distributed Map. */
function childTypes(machine: StateMachineDefinition): string[] {
    return allStates(machine).flatMap(({ name, state }) =>
        state.Type === "Map" && state.ItemProcessor.ProcessorConfig?.Mode === "DISTRIBUTED"
            ? [`${state.Label ?? name}: ${state.ItemProcessor.ProcessorConfig.ExecutionType ?? "STANDARD"}`]
            : [],
    );
}

/** The report as the lines a person reads. */
export function formatCostReport(r: CostReport): string[] {
    const usd = (n: number) => `$${n.toFixed(n < 1 ? 6 : 2)}`;
    const lines = [`Stack \`${r.stack}\` at list prices (${r.prices.region}, ${r.prices.source}, read ${r.prices.read}):`];
    if (r.order)
        lines.push(
            `  order (${r.order.type}): ${r.order.cheapestTransitions}–${r.order.transitions} transitions on a happy path, ${usd(r.order.usdPer1000)} per 1,000 orders; with every configured retry ${r.order.transitionsWithRetries}, ${usd(r.order.usdPer1000WithRetries)} per 1,000.`,
        );
    const c = r.collection;
    if (c)
        lines.push(
            `  collection: ${c.pagesPerRun} pages per run at the caps, ${usd(c.usdPerRun)} per run (${usd(c.usdPerRunWithRetries)} with every retry budget spent at its worst); children ${c.childTypes.join(", ")}.`,
            `  per million pages: ${usd(c.usdPerMillionPages)} (Express children, ${c.pageSecondsAssumed} s per page assumed) against ${usd(c.standardLoopUsdPerMillionPages)} in a Standard page loop: ${c.timesCheaper}× cheaper.`,
        );
    return lines;
}

/** The report of `stack` (`Pulumi.<stack>.yaml` under `root`), synthesizing its program under mocks. */
export async function stackCostReport(stack: string, root = ROOT, pageSeconds = 1): Promise<CostReport> {
    const stackFile = readStackFile(stack, root);
    const result = await synthesize(stackFile, new RecordingMocks(stackFile.region));
    return costReport(stack, stackSettings(stackFile), Object.fromEntries(result.workflows.map((w) => [w.name, w.definition])), pageSeconds);
}

/** docs/cost.md: every stack's report, written by `npm run docs`. */
export function costMarkdown(reports: readonly CostReport[]): string {
    const [first] = reports;
    return [
        "# What the workflows cost",
        "",
        `Generated by \`npm run docs\` from \`npm run cost -- --stack <name>\` (\`tools/commands/cost.ts\`): the synthesized definitions priced at AWS's list prices (${first.prices.region}, [${first.prices.source}](${first.prices.source}), read ${first.prices.read}; docs/aws-facts.md §23). Free tiers are left out.`,
        "",
        '- An order is counted on its happy paths: the cheapest (an intent the storefront confirmed) and the costliest (found by search, then authorized), priced on the costliest; "with retries" adds every retry each Task\'s `Retry` allows.',
        '- A collection run is counted at its caps (every source `maxPages`, every fan-out `maxItems` ids). Express children are billed for an assumed 1 s per page in the first 64 MB chunk (both UNKNOWN, §23); "with retries" spends every child\'s whole retry budget at its worst. The Standard page loop is what the same stored pages cost as Standard children: 4 transitions a page (the fetch, whose JSONata `Output` keeps the fields, so no Pass follows it; the check; the store; `more pages?`).',
        "",
        ...reports.flatMap((r) => [
            `## \`${r.stack}\``,
            "",
            ...formatCostReport(r)
                .slice(1)
                .map((line) => `- ${line.trim()}`),
            "",
        ]),
    ].join("\n");
}

async function main(argv: readonly string[]): Promise<number> {
    const values = parseCommandLine(argv, { stack: { type: "string" }, "page-seconds": { type: "string" } });
    if (values === "help") return printUsage(USAGE);
    const stack = stackOption(values.stack, listStacks(ROOT));
    const pageSeconds = values["page-seconds"] === undefined ? 1 : Number(values["page-seconds"]);
    if (!(pageSeconds > 0 && pageSeconds <= 300)) throw new UsageError("`--page-seconds` must be a number of seconds from 0 to 300, e.g. 1.");
    const report = await stackCostReport(stack, ROOT, pageSeconds);
    for (const line of formatCostReport(report)) console.log(line);
    console.log(JSON.stringify(report));
    return 0;
}

runCommand(main, USAGE, "cost", module);
