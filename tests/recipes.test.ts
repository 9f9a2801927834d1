/**
 * README.md's four recipes, followed: each is done to one scratch copy of the repository
 * (`tests/helpers/recipe-edits.ts`), and the number of files it wrote must be the number its README
 * section states (the `recipe-count` marker) and each file must be named there. The copy is then
 * synthesized under mocks and run against the local sandbox, where the new call or source must show.
 * The recipes touch different states, routes and keys, so they share the copy and one load of it.
 * What this cannot prove: that AWS accepts the result, or that the copy type-checks (`tsc` is too slow
 * here; the edits follow the typed code they sit beside).
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { StateMachineDefinition } from "../deploy/asl/types";
import type { SandboxExchange } from "../tools/sandbox/http-server";
import { synthesize, SynthResult } from "../tools/synth/run-program";
import { checkExchange, loadContract } from "./helpers/openapi";
import { mocks, useStack } from "./helpers/mocks";
import { addApi, addCollectionSource, addHttpCall, addStack } from "./helpers/recipe-edits";
import { Edits, readmeRecipe, scratchCopy } from "./helpers/scratch";

const ROOT = path.join(__dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** Each recipe's files, with the names the README writes in their place (`<api>`, `<stack>`, `<workflow>`). */
const PLACEHOLDERS: Record<string, [RegExp, string][]> = {
    "http-call": [[/inventory/g, "<api>"]],
    api: [
        [/tax/g, "<api>"],
        [/workflows\/order\//g, "workflows/<workflow>/"],
        [/Pulumi\.(dev|prod)\.yaml/g, "Pulumi.<stack>.yaml"],
    ],
    "collection-source": [
        [/telemetry/g, "<api>"],
        [/Pulumi\.dev\.yaml/g, "Pulumi.<stack>.yaml"],
    ],
    stack: [[/staging/g, "<stack>"]],
};

/** A module of the copy (its own registries, stack files and sandbox), typed as the original. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = <T>(root: string, file: string): T => require(path.join(root, file)) as T;

describe("the README's recipes, followed in a scratch copy", function () {
    let copy: string;
    const files: Record<string, string[]> = {};

    before(() => {
        copy = scratchCopy(ROOT);
        const recipes: Record<string, (edits: Edits) => void> = {
            "http-call": addHttpCall,
            api: addApi,
            "collection-source": addCollectionSource,
            stack: (edits) => addStack(edits, copy),
        };
        for (const [name, recipe] of Object.entries(recipes)) {
            const edits = new Edits(copy);
            recipe(edits);
            files[name] = edits.files;
        }
    });
    after(() => {
        fs.rmSync(copy, { recursive: true, force: true });
        // synthesize sets the stack's config and mocks; later suites get the shared ones back.
        useStack("test", "us-east-1");
    });

    for (const name of Object.keys(PLACEHOLDERS))
        it(`${name}: touches as many files as README.md says, each named in its section`, () => {
            const { count, section } = readmeRecipe(README, name);
            assert.equal(files[name].length, count, `${name} wrote ${files[name].join(", ")}`);
            for (const file of files[name]) {
                const named = PLACEHOLDERS[name].reduce((f, [from, to]) => f.replace(from, to), file);
                assert.ok(section.includes(`\`${named}\``), `README's ${name} recipe does not name \`${named}\``);
            }
        });

    describe("the extended program", () => {
        type StackFileModule = typeof import("../tools/stack-file");
        let dev: SynthResult;
        const synth = (stack: string) =>
            synthesize(load<StackFileModule>(copy, "tools/stack-file").readStackFile(stack, copy), mocks, path.join(copy, "deploy", "index.ts"));
        before(async () => {
            dev = await synth("dev");
        });
        const order = (): StateMachineDefinition => dev.workflows.find((w) => w.name === "order")!.definition;

        it("synthesizes dev with the new calls, the tax connection and the new source", () => {
            const states = order().States as Record<string, { Parameters?: { Method?: string; ApiEndpoint?: string } }>;
            assert.equal(states.CheckReservation.Parameters?.Method, "GET");
            assert.equal(states.CalculateTax.Parameters?.ApiEndpoint, "https://tax.dev.example.com/v1/quotes");
            const connections = dev.resources.filter((r) => r.type === "aws:cloudwatch/eventConnection:EventConnection").map((r) => r.name);
            assert.ok(connections.includes("tax-connection"), connections.join(", "));
            const policy = JSON.stringify(dev.workflows.find((w) => w.name === "order")!.policy);
            assert.match(policy, /https:\/\/tax\.dev\.example\.com\/v1\/quotes/);
            assert.match(JSON.stringify(dev.workflows.find((w) => w.name === "collect")!.definition), /\/sites/);
        });

        it("runs the sample order locally through the new inventory call and the new API, each answered as its contract says", async () => {
            const { startLocalOrderStack } = load<typeof import("../tools/local/order-stack")>(copy, "tools/local/order-stack");
            const { sampleOrder } = load<typeof import("../deploy/workflows/order/definition")>(copy, "deploy/workflows/order/definition");
            const exchanges: SandboxExchange[] = [];
            const local = await startLocalOrderStack({ trace: true, onExchange: (e) => exchanges.push(e) });
            try {
                const result = await local.runner.run(sampleOrder);
                assert.equal(result.status, "SUCCEEDED", `${result.error}: ${result.cause}`);
                const entered = (result.trace ?? []).map((s) => s.state);
                assert.deepEqual(
                    entered.filter((s) => ["CalculateTax", "ReserveInventory", "CheckReservation", "CreateShipment"].includes(s)),
                    ["CalculateTax", "ReserveInventory", "CheckReservation", "CreateShipment"],
                );
            } finally {
                await local.close();
            }
            for (const [api, method, route] of [
                ["inventory", "GET", "/reservations/res-ord-1001"],
                ["tax", "POST", "/quotes"],
            ]) {
                const exchange = exchanges.find((e) => e.api === api && e.method === method && e.path === route);
                assert.ok(exchange, `${method} ${route} reached the ${api} sandbox`);
                assert.equal(exchange.status, 200);
                const contract = await loadContract(parse(fs.readFileSync(path.join(copy, "deploy", "apis", api, "openapi.yaml"), "utf8")));
                assert.deepEqual(checkExchange(contract, exchange).problems, []);
            }
        });

        it("runs one collection locally with the new source paged, its pages as the contract says", async () => {
            const { startLocalCollectStack } = load<typeof import("../tools/local/collect-stack")>(copy, "tools/local/collect-stack");
            const exchanges: SandboxExchange[] = [];
            const data = { devices: 2, readingsPerDevice: 3, posts: 3, mentions: 3, burstEvery: 0 };
            const local = await startLocalCollectStack({ data, waitMs: () => 0, onExchange: (e) => exchanges.push(e) });
            try {
                const result = await local.runner.run({});
                assert.equal(result.status, "SUCCEEDED", `${result.error}: ${result.cause}`);
                const summary = local.outbox.events.at(-1)?.detail as { sources: { source: string; status: string; pages: number; items: number }[] };
                assert.deepEqual(
                    summary.sources.find((s) => s.source === "sites"),
                    { source: "sites", status: "SUCCEEDED", pages: 2, items: 3, capped: false },
                );
            } finally {
                await local.close();
            }
            const contract = await loadContract(parse(fs.readFileSync(path.join(copy, "deploy", "apis", "telemetry", "openapi.yaml"), "utf8")));
            const sites = exchanges.filter((e) => e.path === "/sites");
            assert.equal(sites.length, 2);
            for (const exchange of sites) assert.deepEqual(checkExchange(contract, exchange).problems, []);
        });

        it("lists the new stack with the others, and synthesizes it with its own names and region", async () => {
            const { listStacks } = load<StackFileModule>(copy, "tools/stack-file");
            assert.deepEqual(listStacks(copy), ["dev", "prod", "staging"]);
            const staging = await synth("staging");
            const machine = staging.resources.find((r) => r.type === "aws:sfn/stateMachine:StateMachine");
            assert.equal(machine?.inputs.name, "sfn-http-workflows-staging-order");
            assert.match(String((staging.outputs.stateMachineArns as Record<string, string>).order), /^arn:aws:states:eu-central-1:/);
        });
    });
});
