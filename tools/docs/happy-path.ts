/**
 * The `happy-path` section: the order saga run once on the local engine with the sample order (`sampleOrder` of
 * `deploy/workflows/order/definition.ts`, the `success` scenario of `npm start`) against the dev stack's sandbox: the
 * states it entered, in order, and what that many state transitions cost at list prices (`tools/cost/cost.ts`), beside
 * the bounds `npm run cost` derives from the definition alone.
 */
import { sampleOrder } from "../../deploy/workflows/order/definition";
import { startLocalOrderStack } from "../local/order-stack";
import { standardCost } from "../cost/cost";
import { CostReport } from "../commands/cost";

/** What one local run of the sample order did. */
export interface HappyPathRun {
    readonly status: string;
    /** The states entered, in order (each one a billed state transition on a Standard workflow). */
    readonly states: readonly string[];
}

/** Runs the sample order through the dev stack's saga on the local engine. */
export async function runSampleOrder(): Promise<HappyPathRun> {
    const local = await startLocalOrderStack({ stack: "dev", trace: true });
    try {
        const result = await local.runner.run(sampleOrder);
        return { status: result.status, states: (result.trace ?? []).map((step) => step.state) };
    } finally {
        await local.close();
    }
}

/** The section: the path, its count and its cost; `report` is dev's `npm run cost` report. */
export function happyPathMarkdown(run: HappyPathRun, report: CostReport): string {
    if (run.status !== "SUCCEEDED") throw new Error(`The sample order ended ${run.status} on the local engine; the happy path needs it to succeed.`);
    const usdPer1000 = Number((1000 * standardCost(run.states.length)).toPrecision(4));
    const bounds = report.order
        ? ` \`npm run cost -- --stack dev\` counts ${report.order.cheapestTransitions}–${report.order.transitions} transitions on a happy path from the definition alone, and ${report.order.transitionsWithRetries} with every configured retry ([docs/cost.md](cost.md)).`
        : "";
    return [
        `The sample order (\`sampleOrder\`, ${sampleOrder.orderId}) on the local engine against the dev stack's sandbox entered **${run.states.length} states**, in this order:`,
        "",
        run.states.map((s, i) => `${i + 1}. \`${s}\``).join("\n"),
        "",
        `On a Standard workflow each state entered is one billed transition: $${usdPer1000.toFixed(3)} per 1,000 such orders at list prices (\`tools/cost/cost.ts\`, docs/aws-facts.md §23).${bounds}`,
    ].join("\n");
}
