import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { costliestPath, expressCost, expressGbSeconds, happyPath, PRICES, standardCost, withConfiguredRetries } from "../../tools/cost/cost";
import { StateMachineDefinition } from "../../deploy/asl/types";
import { startLocalCollectStack } from "../../tools/local/collect-stack";
import { startLocalOrderStack } from "../../tools/local/order-stack";
import { orderOf, SCENARIOS } from "../../tools/local/scenarios";
import { readStackFile, stackSettings } from "../../tools/stack-file";
import { costReport } from "../../tools/commands/cost";
import { testCollectDefinition } from "../helpers/asl";
import { childTransitions, loopCoefficients, SourceShape } from "../../tools/cost/collect-cost";
import { ORDER_CAPTURE_STATE } from "../../deploy/workflows/order/definition";

const ROOT = path.join(__dirname, "..", "..");

describe("the cost model (tools/cost/cost.ts, tools/cost/collect-cost.ts, npm run cost)", () => {
    it("bills Express in 100 ms steps and 64 MB chunks at the list prices, and Standard per transition", () => {
        assert.equal(expressGbSeconds(150), (64 / 1024) * 0.2);
        assert.equal(expressGbSeconds(1000, 65), (128 / 1024) * 1);
        assert.equal(expressCost(1_000_000, 0), 1);
        assert.equal(standardCost(1000), 0.025);
        assert.equal(PRICES.expressPerGbSecond, 0.00001667);
    });

    it("counts each state entered, a Parallel with its branches, and each configured retry once more", () => {
        const machine: StateMachineDefinition = {
            StartAt: "a",
            States: {
                a: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "b" }], Default: "f" },
                b: { Type: "Task", Resource: "r", Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }, { ErrorEquals: ["X"] }], Next: "p" },
                p: { Type: "Parallel", Branches: [{ StartAt: "q", States: { q: { Type: "Pass", End: true } } }], Next: "w" },
                w: { Type: "Wait", Seconds: 1, Next: "c" },
                c: { Type: "Choice", Choices: [{ Variable: "$.y", IsPresent: true, Next: "w" }], Default: "s" },
                s: { Type: "Succeed" },
                f: { Type: "Fail", Error: "E" },
            },
        };
        assert.deepEqual(happyPath(machine), { transitions: 7, states: ["a", "b", "p", "w", "c", "s"] });
        assert.equal(costliestPath(machine).transitions, 7);
        assert.equal(withConfiguredRetries(machine), 7 + 2 + 3);
    });

    it("counts what the local engine's records count for a happy order, the cheapest and the costliest way", async () => {
        const local = await startLocalOrderStack({ trace: true });
        try {
            for (const [name, bound] of [
                ["3-D Secure, confirmed by the storefront", happyPath(local.definition, ORDER_CAPTURE_STATE).transitions],
                ["success", costliestPath(local.definition).transitions],
            ] as const) {
                const scenario = SCENARIOS.find((s) => s.name === name)!;
                const result = await local.runner.run(orderOf(scenario, local.sandbox));
                assert.equal(result.status, "SUCCEEDED", `${name}: ${result.error}`);
                assert.equal(result.trace!.length, bound, `${name}: ${result.trace!.map((s) => s.state).join(" → ")}`);
            }
        } finally {
            await local.close();
        }
    });

    it("counts what the local engine's records count for a collection run, parent and children", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-test-"));
        const local = await startLocalCollectStack({ storeDir: dir, trace: true, data: { burstEvery: 0 } });
        try {
            const result = await local.runner.run({}, "run-1");
            assert.equal(result.status, "SUCCEEDED", `${result.error}: ${result.cause}`);
            const summary = local.outbox.events[0].detail as { sources: { source: string; pages: number }[] };
            let model = happyPath(local.definition).transitions;
            for (const source of local.collect.sources) {
                const pages = summary.sources.find((s) => s.source === source.name)!.pages;
                const stored = local.store.written.filter((o) => o.key.startsWith(`${source.name}/`)).length;
                const run = local.runner.mapRuns.find((r) => r.state === `${source.name}: fan out`);
                const shape: SourceShape = source.fanOut ? { pages, stored, ids: run!.items, children: run!.children } : { pages, stored, ids: 1, children: 1 };
                model += childTransitions(loopCoefficients(local.definition, source), shape);
            }
            assert.equal(result.trace!.length, model);
        } finally {
            await local.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("prices the dev stack's collection per million pages at least 10× below a Standard page loop (4 transitions a page: the fetch reshapes the page in its JSONata `Output`, no Pass)", () => {
        const settings = stackSettings(readStackFile("dev", ROOT));
        const definition = testCollectDefinition(settings);
        const report = costReport("dev", settings, { collect: definition });
        assert.equal(report.collection!.standardLoopUsdPerMillionPages, 100);
        assert.ok(report.collection!.timesCheaper >= 10, JSON.stringify(report.collection));
        assert.ok(report.collection!.childTypes.every((t) => t.endsWith("EXPRESS")));
    });
});
