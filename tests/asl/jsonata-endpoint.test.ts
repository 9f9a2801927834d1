import * as assert from "node:assert/strict";
import { endpointHead, endpointMatch, jsonataEndpointParts } from "../../deploy/asl/endpoint";
import { HTTP_INVOKE } from "../../deploy/asl/http-task";
import { toMermaid } from "../../tools/synth/mermaid";
import { derivePolicy, PolicyContext } from "../../deploy/asl/policy";
import { Json, StateMachineDefinition, TaskState } from "../../deploy/asl/types";
import { definitionProblems } from "../../tools/emulator/definition";
import { isAllowed } from "../helpers/iam";

const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders";
const CONN = "arn:aws:events:eu-west-1:123456789012:connection/pay/11111111-1111-1111-1111-111111111111";
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:events!connection/pay/aaaa-AbCdEf";
const context: PolicyContext = { stateMachineArn: MACHINE, connectionSecrets: { [CONN]: SECRET }, logging: false, tracing: false };

/** A JSONata HTTP Task whose `Arguments` are `args` (plus the connection unless given). */
const task = (args: Record<string, Json>): TaskState =>
    ({
        Type: "Task",
        Resource: HTTP_INVOKE,
        QueryLanguage: "JSONata",
        Arguments: { InvocationConfig: { ConnectionArn: CONN }, ...args },
        End: true,
    }) as TaskState;
const machine = (state: TaskState): StateMachineDefinition => ({ StartAt: "Call", States: { Call: state } });
const call = (policy: ReturnType<typeof derivePolicy>, method: string, endpoint: string) =>
    isAllowed(policy, { action: "states:InvokeHTTPEndpoint", resource: MACHINE, context: { "states:HTTPMethod": method, "states:HTTPEndpoint": endpoint } });

describe("JSONata HTTP Tasks: the endpoint and the IAM grant come from `Arguments`", () => {
    it("reads the literal parts of a concatenation, merging adjacent literals and adjacent dynamic parts", () => {
        assert.deepEqual(jsonataEndpointParts(`'https://a.example/v1/' & $states.input.id & "/capture"`), ["https://a.example/v1/", "/capture"]);
        assert.deepEqual(jsonataEndpointParts(`"https://a.example/" & "v1/x"`), ["https://a.example/v1/x"]);
        assert.deepEqual(jsonataEndpointParts(`'https://a.example/v1/' & $a & $string($b.c[0])`), ["https://a.example/v1/", ""]);
        assert.deepEqual(jsonataEndpointParts(`'it\\'s "q" & more'`), [`it's "q" & more`]);
    });

    it("refuses what could change the literal head: conditionals, chains, comparisons, bare names, parentheses", () => {
        for (const expression of [
            `$x ? 'https://a.example/' : 'https://evil.example/'`,
            `'https://a.example/' & $x ~> $uppercase`,
            `'https://a.example/' & $x = 'y'`,
            `'https://a.example/' & id`,
            `('https://a.example/' & $x)`,
            `$x & 'https://a.example/'`,
            `'https://a.example/' & `,
        ])
            assert.equal(jsonataEndpointParts(expression)?.[0].startsWith("https://a.example/") ? expression : undefined, undefined, expression);
    });

    it("grants a literal endpoint exactly, and a concatenation as a StringLike pattern on its literal parts: allowed there, denied elsewhere", () => {
        const exact = derivePolicy(machine(task({ ApiEndpoint: "https://a.example/v1/items", Method: "GET" })), context);
        assert.ok(call(exact, "GET", "https://a.example/v1/items"));
        assert.ok(!call(exact, "GET", "https://a.example/v1/items/1"));
        assert.ok(!call(exact, "POST", "https://a.example/v1/items"));

        const literalExpression = derivePolicy(machine(task({ ApiEndpoint: `{% 'https://a.example/v1/' & 'items' %}`, Method: "GET" })), context);
        assert.ok(call(literalExpression, "GET", "https://a.example/v1/items"));
        assert.ok(!call(literalExpression, "GET", "https://a.example/v1/items2"));

        const capture = derivePolicy(
            machine(task({ ApiEndpoint: `{% 'https://a.example/v1/intents/' & $states.input.id & '/capture' %}`, Method: "POST" })),
            context,
        );
        assert.ok(call(capture, "POST", "https://a.example/v1/intents/pi_1/capture"));
        assert.ok(!call(capture, "POST", "https://a.example/v1/intents/pi_1/cancel"));
        assert.ok(!call(capture, "POST", "https://a.example/v1/refunds/capture"));
        assert.ok(!call(capture, "POST", "https://a.example.evil.tld/v1/intents/pi_1/capture"));
        assert.ok(!call(capture, "GET", "https://a.example/v1/intents/pi_1/capture"));
        assert.deepEqual(capture.Statement.find((s) => s.Action.includes("states:InvokeHTTPEndpoint"))?.Condition?.StringLike, {
            "states:HTTPEndpoint": "https://a.example/v1/intents/*/capture",
        });
    });

    for (const [what, args, message] of [
        [
            "an endpoint whose host is dynamic",
            { ApiEndpoint: `{% 'https://a.example' & $states.input.path %}`, Method: "GET" },
            /must be a string literal or a concatenation that starts with a static https base URL/,
        ],
        ["an endpoint that is not a concatenation", { ApiEndpoint: `{% $states.input.url %}`, Method: "GET" }, /JSONata `ApiEndpoint`/],
        ["a dynamic method", { ApiEndpoint: "https://a.example/x", Method: `{% $states.input.method %}` }, /needs a literal `Method`/],
        ["a plain-http endpoint", { ApiEndpoint: `{% 'http://a.example/x/' & $states.input.id %}`, Method: "GET" }, /only https endpoints can be granted/],
    ] as const) {
        it(`refuses to grant ${what}, with a message`, () =>
            assert.throws(() => derivePolicy(machine(task(args as Record<string, Json>)), context), { message: message as RegExp }));
    }

    it("refuses a JSONata connection ARN: the connection's secret could not be scoped", () => {
        const state = task({ ApiEndpoint: "https://a.example/x", Method: "GET", InvocationConfig: { ConnectionArn: "{% $states.input.arn %}" } });
        assert.throws(() => derivePolicy(machine(state), context), /needs a literal `InvocationConfig.ConnectionArn`/);
    });

    it("gives the local sandbox the endpoint's literal head, and nothing for an endpoint with no literal head", () => {
        assert.equal(endpointHead({ ApiEndpoint: `{% "https://a.example/d/" & $states.input.item & "/r" %}` }), "https://a.example/d/");
        assert.equal(endpointHead({ ApiEndpoint: `{% $states.input.url %}` }), undefined);
        assert.deepEqual(endpointMatch({ ApiEndpoint: `{% "https://a.example/d/" %}` }, "S"), { kind: "exact", url: "https://a.example/d/" });
    });

    it("draws a JSONata HTTP Task with its method and path", () => {
        const chart = toMermaid(machine(task({ ApiEndpoint: `{% 'https://a.example/v1/intents/' & $states.input.id & '/capture' %}`, Method: "POST" })));
        assert.match(chart, /POST \/v1\/intents\/\{\}\/capture/);
    });

    it("checks a JSONata Task's `Arguments` like `Parameters`: a literal endpoint's URL, and no `.$` keys", () => {
        assert.deepEqual(definitionProblems(machine(task({ ApiEndpoint: `{% 'https://a.example/x' %}`, Method: "GET" }))), []);
        assert.deepEqual(definitionProblems(machine(task({ ApiEndpoint: `{% 'https://a.example/x?q=1' %}`, Method: "GET" }))), [
            "State `Call`: `ApiEndpoint` must not contain a query string (use `QueryParameters`)",
        ]);
        assert.deepEqual(definitionProblems(machine(task({ "ApiEndpoint.$": "$.url", Method: "GET" }))), [
            "State `Call`: `Arguments.ApiEndpoint.$`: JSONata fields take `{% %}`, not `.$`",
        ]);
    });
});
