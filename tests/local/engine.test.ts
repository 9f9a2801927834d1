/**
 * The local runner around the project's engine: how emulated errors meet Retry and Catch, the
 * outbox, resources that are not emulated, and definition checks.
 */
import * as assert from "node:assert/strict";
import { definitionProblems } from "../../tools/emulator/definition";
import { HttpTaskEmulator } from "../../tools/emulator/http-invoke";
import { Outbox } from "../../tools/emulator/sns";
import { LocalRunner } from "../../tools/local/runner";
import { useEcho } from "./echo";

const ARN = "arn:aws:events:us-east-1:123456789012:connection/echo/0b6a2f54-6f0c-4d8e-9a39-1c2d3e4f5a6b";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:orders";
const connections = new Map([
    [ARN, { AuthorizationType: "API_KEY" as const, AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "X-Api-Key", ApiKeyValue: "k" } } }],
]);

function machine(url: string, headers: Record<string, string> = {}) {
    return {
        StartAt: "Call",
        States: {
            Call: {
                Type: "Task",
                Resource: "arn:aws:states:::http:invoke",
                Parameters: { ApiEndpoint: `${url}/x`, Method: "GET", Authentication: { ConnectionArn: ARN }, Headers: headers },
                Retry: [{ ErrorEquals: ["States.Http.StatusCode.503"], IntervalSeconds: 30, MaxAttempts: 2 }],
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "Caught" }],
                ResultSelector: { "status.$": "$.StatusCode" },
                Next: "Notify",
            },
            Notify: {
                Type: "Task",
                Resource: "arn:aws:states:::sns:publish",
                Parameters: { TopicArn: TOPIC, "Message.$": "States.Format('status {}', $.status)" },
                End: true,
            },
            Caught: { Type: "Pass", End: true },
        },
    };
}

describe("local runner (the engine with the emulators)", () => {
    const echo = useEcho();
    const runner = (definition: unknown, outbox = new Outbox()) =>
        new LocalRunner(definition, { http: new HttpTaskEmulator({ connections, region: "us-east-1" }), outbox, trace: true });

    it("retries a named HTTP error with the wait shortened to 0 ms, then publishes to the outbox", async () => {
        echo().reply({ status: 503, statusText: "Service Unavailable", body: "{}" }, { status: 503, body: "{}" }, { status: 200, body: "{}" });
        const outbox = new Outbox();
        const result = await runner(machine(echo().url), outbox).run({});
        assert.equal(result.status, "SUCCEEDED");
        assert.equal(echo().received.length, 3);
        assert.deepEqual(result.trace?.[0].retries, ["States.Http.StatusCode.503", "States.Http.StatusCode.503"]);
        assert.deepEqual(
            result.trace?.[0].http.map((c) => c.status),
            [503, 503, 200],
        );
        assert.deepEqual(
            outbox.messages.map((m) => [m.topicArn, m.message, m.stateName]),
            [[TOPIC, "status 200", "Notify"]],
        );
    });

    it("lets States.ALL catch HTTP errors, with Error and Cause in the catcher's ResultPath", async () => {
        echo().reply({ status: 404, statusText: "Not Found", body: "{}" });
        const result = await runner(machine(echo().url)).run({});
        assert.equal(result.status, "SUCCEEDED");
        assert.deepEqual(result.output, { failure: { Error: "States.Http.StatusCode.404", Cause: "Not Found" } });
    });

    it("does not let States.ALL catch States.Runtime: the execution fails", async () => {
        const result = await runner(machine(echo().url, { Authorization: "Bearer x" })).run({});
        assert.equal(result.status, "FAILED");
        assert.equal(result.error, "States.Runtime");
        assert.equal(echo().received.length, 0);
    });

    it("fails a Task whose resource is not emulated with States.Runtime instead of calling AWS", async () => {
        const lambda = { StartAt: "L", States: { L: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:f", End: true } } };
        const result = await runner(lambda).run({});
        assert.equal(result.error, "States.Runtime");
        assert.match(result.cause ?? "", /does not emulate `arn:aws:lambda:us-east-1:123456789012:function:f`/);
    });

    it("gives the execution its input as StartExecution's JSON text parses: no undefined fields, dates as text, {} for none", async () => {
        const pass = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
        const at = new Date("2026-12-02T00:00:00.000Z");
        assert.deepEqual((await runner(pass).run({ paymentMethod: undefined, at, n: 1 })).output, { at: "2026-12-02T00:00:00.000Z", n: 1 });
        assert.deepEqual((await runner(pass).run(undefined)).output, {});
    });

    it("reports definition problems Step Functions rejects at creation time", () => {
        const bad = machine("http://api.example.com");
        const call = bad.States.Call as Record<string, unknown>;
        call.Resource = "arn:aws:states:::http:invoke.sync";
        assert.deepEqual(definitionProblems(bad), [
            "State `Call`: `arn:aws:states:::http:invoke.sync` is not supported; HTTP Tasks are request-response only (`arn:aws:states:::http:invoke`)",
        ]);
        call.Resource = "arn:aws:states:::http:invoke";
        (call.Parameters as Record<string, unknown>).Method = "FETCH";
        assert.deepEqual(definitionProblems(bad), [
            "State `Call`: `Method` must be one of GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD",
            "State `Call`: `ApiEndpoint` must use `https://`",
        ]);
        assert.deepEqual(definitionProblems(machine("https://api.example.com")), []);
    });
});
