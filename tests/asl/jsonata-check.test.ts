/**
 * The static JSONata checks (deploy/asl/jsonata-check.ts) and the Choice semantics they protect: on AWS a
 * matching JSONata Choice rule applies only its own `Output` (recorded on AWS: LocalStack
 * `outputdecl/test_output.py::TestArgumentsBase::test_output_in_choice`, 19-02-2026; docs/aws-facts.md §14).
 */
import * as assert from "node:assert/strict";
import jsonata from "jsonata";
import { JSONATA_FUNCTIONS, jsonataProblems } from "../../deploy/asl/jsonata-check";
import { HttpTaskEmulator } from "../../tools/emulator/http-invoke";
import { Outbox } from "../../tools/emulator/sns";
import { LocalRunner } from "../../tools/local/runner";
import { commentsDefinition } from "../../deploy/workflows/comments/definition";
import { testConnectionArn, testOrderDefinition } from "../helpers/asl";

const choice = (rule: Record<string, unknown>, state: Record<string, unknown> = {}) => ({
    StartAt: "Choose",
    States: {
        Choose: {
            Type: "Choice",
            QueryLanguage: "JSONata",
            Choices: [{ Condition: "{% $states.input.go %}", Next: "Done", ...rule }],
            Default: "Done",
            ...state,
        },
        Done: { Type: "Succeed" },
    },
});

describe("JSONata checks of a definition", () => {
    it("knows JSONata's own functions (each name is a built-in of jsonata 2.0.6)", async () => {
        const isFunction = (v: unknown) => typeof v === "function" || typeof (v as { implementation?: unknown } | undefined)?.implementation === "function";
        for (const name of JSONATA_FUNCTIONS) assert.ok(isFunction(await jsonata(`$${name}`).evaluate({})), name);
        assert.equal(await jsonata("$nothing").evaluate({}), undefined);
    });

    const rows: [string, unknown, number][] = [
        ["a state-level Output with a rule that has none", choice({}, { Output: "{% 1 %}" }), 1],
        ["the Output on the rule and at state level", choice({ Output: "{% 1 %}" }, { Output: "{% 1 %}" }), 0],
        ["no Output anywhere", choice({}), 0],
        ["an unbound $nothing", choice({ Condition: "{% $exists($nothing) %}" }), 1],
        ["() for nothing", choice({ Condition: "{% $exists(()) %}" }), 0],
        ["a name bound in the expression and a lambda parameter", choice({ Condition: "{% ($f := function($x) { $x }; $f(true)) %}" }), 0],
        ["a workflow variable assigned by a rule", choice({ Condition: "{% $seen = 1 %}", Assign: { seen: 1 } }), 0],
        ["Step Functions' own $partition", choice({ Condition: "{% $count($partition([1, 2], 1)) = 2 %}" }), 0],
    ];
    for (const [title, definition, count] of rows)
        it(`finds ${count} problem(s) for ${title}`, () => assert.equal(jsonataProblems(definition).length, count, jsonataProblems(definition).join("\n")));

    it("finds none in the order saga and the comments workflow as built", () => {
        assert.deepEqual(jsonataProblems(testOrderDefinition()), []);
        assert.deepEqual(jsonataProblems(commentsDefinition({ baseUrl: "https://jsonplaceholder.typicode.com", connectionArn: testConnectionArn("c") })), []);
    });
});

describe("a JSONata Choice in the local engine", () => {
    const run = (definition: unknown, input: unknown) =>
        new LocalRunner(definition, { http: new HttpTaskEmulator({ connections: new Map(), region: "us-east-1" }), outbox: new Outbox() }).run(input);

    it("applies the matching rule's Output, not the state's (fails on a lowering that always used the state's)", async () => {
        const definition = choice({ Output: "{% 'rule' %}" }, { Output: "{% 'state' %}" });
        assert.deepEqual((await run(definition, { go: true })).output, "rule");
        assert.deepEqual((await run(definition, { go: false })).output, "state");
    });

    it("passes the input on when the matching rule has no Output, whatever the state-level Output says", async () => {
        const result = await run(choice({}, { Output: "{% 'state' %}" }), { go: true });
        assert.deepEqual(result.output, { go: true });
    });
});
