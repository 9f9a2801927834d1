// The registry of APIs and workflows against what the program builds from it: each workflow's Fail
// errors against its module's tags and what monitoring watches, in the synthesized stacks; a connection
// no task uses; the sandbox's APIs. Mocks cannot prove that CloudWatch matches the filter patterns.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { APIS, apiSpecOf } from "../deploy/apis";
import { assertConnectionsUsed, UnusedConnectionError } from "../deploy/components/api-connection";
import { HttpWorkflow } from "../deploy/components/http-workflow";
import { StateMachineDefinition } from "../deploy/asl/types";
import { allStates } from "../deploy/asl/walk";
import { ConfigError, validateStackConfig } from "../deploy/stack-config/validate";
import { MODULES, WORKFLOW_NAMES, WORKFLOWS, WorkflowName } from "../deploy/workflows/catalogue";
import { commentsDefinition } from "../deploy/workflows/comments/definition";
import { SANDBOX_APIS, SANDBOX_SERVICES } from "../tools/sandbox/routes";
import { COLLECT_SANDBOX_APIS } from "../tools/sandbox/collect-apis";
import { testConnectionArn } from "./helpers/asl";
import { useStack } from "./helpers/mocks";
import { input, synthStack } from "./helpers/pulumi";

const ROOT = path.join(__dirname, "..");
const STACKS = ["dev", "prod"];
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** The `Error` of every Fail state (Map and Parallel branches included); a non-literal one is named so it never matches. */
function failErrors(definition: StateMachineDefinition): string[] {
    return sorted(
        allStates(definition).flatMap(({ name, state }) =>
            state.Type !== "Fail" ? [] : [typeof state.Error === "string" && !state.Error.startsWith("{%") ? state.Error : `<no literal Error in ${name}>`],
        ),
    );
}

/** The errors a technical-failure pattern matches (`$.details.error = "<e>"`). */
const patternErrors = (pattern: string) => sorted([...pattern.matchAll(/\$\.details\.error = "([^"]+)"/g)].map((m) => m[1]));

/** Differences between a definition's Fail errors and its module's tags, one sentence each. */
function tagProblems(name: WorkflowName, definition: StateMachineDefinition): string[] {
    const tagged = Object.keys(MODULES[name].errors);
    const errors = failErrors(definition);
    return [
        ...errors.filter((e) => !tagged.includes(e)).map((e) => `${name}: Fail error \`${e}\` is not tagged in its module`),
        ...tagged.filter((e) => !errors.includes(e)).map((e) => `${name}: \`${e}\` is tagged but no Fail state ends with it`),
    ];
}

describe("the registry of APIs and workflows", () => {
    for (const stack of STACKS) {
        describe(`in the synthesized ${stack} stack`, () => {
            it("each workflow's Fail errors are exactly its tagged outcomes and incidents", async () => {
                const { workflows } = await synthStack(stack);
                assert.ok(workflows.length > 0);
                for (const w of workflows) {
                    assert.ok(WORKFLOW_NAMES.includes(w.name as WorkflowName), `${w.name} is a workflow of the catalogue`);
                    assert.deepEqual(tagProblems(w.name as WorkflowName, w.definition), []);
                    const { outcomes, incidents } = WORKFLOWS[w.name as WorkflowName];
                    assert.deepEqual(failErrors(w.definition), sorted([...outcomes, ...incidents]));
                }
            });

            it("monitoring pages on exactly States.* and each workflow's incidents, and counts its outcomes", async () => {
                const { workflows, resources } = await synthStack(stack);
                const named = (n: string) => resources.find((r) => r.name === n);
                for (const w of workflows) {
                    const filter = named(`${w.name}-monitoring-technical-failures`);
                    const dashboard = named(`${w.name}-monitoring-dashboard`);
                    if (filter === undefined) continue; // monitoring off in this stack
                    const { outcomes, incidents } = WORKFLOWS[w.name as WorkflowName];
                    assert.deepEqual(patternErrors(String(input(filter, "pattern"))), sorted(["States.*", ...incidents]), w.name);
                    const body = JSON.parse(String(input(dashboard!, "dashboardBody"))) as {
                        widgets: { properties: { title: string; metrics?: unknown[][] } }[];
                    };
                    const counted = body.widgets
                        .filter((x) => x.properties.title.startsWith("Outcomes by error name"))
                        .flatMap((x) => x.properties.metrics ?? [])
                        .flatMap((m) => (m[2] === "Error" ? [String(m[3])] : []));
                    assert.deepEqual(sorted(counted), sorted(outcomes), w.name);
                }
                assert.ok(
                    workflows.some((w) => named(`${w.name}-monitoring-technical-failures`)),
                    `stack ${stack} enables monitoring (else this test proves nothing)`,
                );
            });
        });
    }

    it("notices a renamed Fail error", () => {
        const definition = commentsDefinition({ baseUrl: "https://jsonplaceholder.typicode.com", connectionArn: testConnectionArn("c") });
        assert.deepEqual(tagProblems("comments", definition), []);
        const renamed = { ...definition, States: { ...definition.States, InvalidInput: { Type: "Fail" as const, Error: "BadInput", Cause: "renamed" } } };
        assert.deepEqual(tagProblems("comments", renamed), [
            "comments: Fail error `BadInput` is not tagged in its module",
            "comments: `InvalidInput` is tagged but no Fail state ends with it",
        ]);
    });

    it("tags each error once, and calls only APIs of the API registry", () => {
        for (const [name, module] of Object.entries(MODULES)) {
            assert.equal(module.name, name);
            for (const api of module.apis) assert.ok(apiSpecOf(api), `${name} calls ${api}, an API of deploy/apis/index.ts`);
            const { outcomes, incidents } = WORKFLOWS[name as WorkflowName];
            assert.deepEqual(
                [...outcomes, ...incidents].filter((e) => outcomes.includes(e) && incidents.includes(e)),
                [],
            );
        }
    });

    it("gives each API its name, an accepted auth type and a contract that exists", () => {
        for (const [name, api] of Object.entries(APIS)) {
            assert.equal(api.name, name);
            assert.ok(api.authTypes.length > 0, name);
            if (!api.contract.startsWith("https://")) assert.ok(fs.existsSync(path.join(ROOT, api.contract)), `${name}: ${api.contract}`);
        }
    });

    it("serves in the sandbox every API of the order saga, and every other served API as a collection source", () => {
        assert.deepEqual([...SANDBOX_APIS], [...WORKFLOWS.order.apis]);
        for (const api of Object.keys(SANDBOX_SERVICES)) assert.ok(apiSpecOf(api), `the sandbox serves ${api}, an API of deploy/apis/index.ts`);
        assert.deepEqual(
            sorted(COLLECT_SANDBOX_APIS),
            sorted(Object.keys(SANDBOX_SERVICES).filter((api) => !WORKFLOW_NAMES.some((w) => WORKFLOWS[w].apis.includes(api as never)))),
        );
    });

    describe("a connection no task uses is an error", () => {
        const used = testConnectionArn("comments");
        const extra = testConnectionArn("payment");
        const definition = commentsDefinition({ baseUrl: "https://jsonplaceholder.typicode.com", connectionArn: used });

        it("names the unused connection", () => {
            assert.doesNotThrow(() => assertConnectionsUsed("comments", definition, [used]));
            assert.throws(
                () => assertConnectionsUsed("comments", definition, [used, extra]),
                (e: unknown) => e instanceof UnusedConnectionError && e.name === "UnusedConnectionError" && e.connectionArns.join() === extra,
            );
        });

        it("fails a workflow component given a connection its definition does not use, before it declares anything", () => {
            useStack("test", "eu-west-1");
            const connections = [used, extra].map((arn) => ({ arn, secretArn: `${arn}-secret` }));
            assert.throws(() => new HttpWorkflow("comments", { definition, connections }), UnusedConnectionError);
            assert.doesNotThrow(() => new HttpWorkflow("comments", { definition, connections: connections.slice(0, 1) }));
        });

        it("refuses in config an API no enabled workflow calls", () => {
            const raw = {
                workflows: ["comments"],
                comments: { auth: { type: "none" } },
                inventory: { baseUrl: "https://inventory.example.com", auth: { type: "basic", username: "orders" } },
            };
            assert.throws(
                () => validateStackConfig(raw, new Set(["inventory.password"]), "eu-west-1"),
                (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith("`inventory` is set but no enabled workflow calls it")),
            );
        });
    });
});
