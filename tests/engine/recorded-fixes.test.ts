/**
 * The engine fixes the AWS-recorded conformance suite asked for, one row each with the recording
 * (LocalStack test id, recorded on AWS) that shows AWS's behaviour. Each row fails on the engine as
 * it was before the fix.
 */
import * as assert from "node:assert/strict";
import { Engine, RunOptions } from "../../tools/engine/engine";
import { HttpTaskEmulator } from "../../tools/emulator/http-invoke";
import { Outbox } from "../../tools/emulator/sns";
import { LocalRunner } from "../../tools/local/runner";
import { parseJson5 } from "../../tools/conformance/json5";

type Row = { title: string; definition: unknown; input?: unknown; options?: RunOptions; check: (r: Awaited<ReturnType<Engine["run"]>>) => void };
const one = (state: Record<string, unknown>, top: Record<string, unknown> = {}) => ({ StartAt: "S", States: { S: { End: true, ...state } }, ...top });
const failedWith = (error: string, cause: RegExp) => (r: Awaited<ReturnType<Engine["run"]>>) => {
    assert.equal(r.status, "FAILED");
    assert.equal(r.error, error, r.cause);
    assert.match(r.cause ?? "", cause);
};
const output = (expected: unknown) => (r: Awaited<ReturnType<Engine["run"]>>) => {
    assert.equal(r.status, "SUCCEEDED", `${r.error}: ${r.cause}`);
    assert.deepEqual(r.output, expected);
};

const rows: Row[] = [
    {
        title: "States.StringToJson('-0') is 0, not -0 (intrinsic_functions/test_json_manipulation::test_string_to_json)",
        definition: one({ Type: "Pass", Parameters: { "r.$": "States.StringToJson($.s)" } }),
        input: { s: "-0" },
        check: (r) => assert.ok(Object.is((r.output as { r: number }).r, 0)),
    },
    {
        title: "$parse('-0') is 0, not -0 (intrinsic_functions/test_json_manipulation_jsonata::test_parse)",
        definition: one({ Type: "Pass", Output: "{% $parse('-0') %}" }, { QueryLanguage: "JSONata" }),
        check: (r) => assert.ok(Object.is(r.output, 0)),
    },
    {
        title: "a Pass state's context has no RetryCount (outputdecl/test_output::test_base_cases[BASE_EXPR])",
        definition: one({ Type: "Pass", Output: "{% $states.context.State %}" }, { QueryLanguage: "JSONata" }),
        check: (r) => assert.deepEqual(Object.keys(r.output as object), ["Name", "EnteredTime"]),
    },
    {
        title: "a Task state's context has RetryCount 0 (test_state/test_test_state_scenarios::test_state_task_catch_error)",
        definition: one({ Type: "Task", Resource: "x", Parameters: { "c.$": "$$.State" } }),
        options: { taskHandlers: { S: async (input) => input } },
        check: (r) => assert.equal((r.output as { c: { RetryCount: number } }).c.RetryCount, 0),
    },
    {
        title: "a JSONata Map over a non-array input is States.QueryEvaluationError (scenarios::test_map_state_items_input_types)",
        definition: one({ Type: "Map", ItemProcessor: one({ Type: "Pass" }) }, { QueryLanguage: "JSONata" }),
        input: { foo: "bar" },
        check: failedWith("States.QueryEvaluationError", /\(entered at the event id #2\)\. Map state input must be an array but was: \{"foo":"bar"\}$/),
    },
    {
        title: "MaxConcurrencyPath to a non-integer is States.Runtime (scenarios::test_max_concurrency_path[NoNumber])",
        definition: one({ Type: "Map", ItemsPath: "$.v", MaxConcurrencyPath: "$.m", ItemProcessor: one({ Type: "Pass" }) }),
        input: { v: [1], m: "NoNumber" },
        check: failedWith("States.Runtime", /The MaxConcurrencyPath field refers to value "NoNumber" which is not a valid integer: \$\.m$/),
    },
    {
        title: 'MaxConcurrencyPath to "1" runs (assign/test_reference_in_map_state[MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH])',
        definition: one({ Type: "Map", ItemsPath: "$.v", MaxConcurrencyPath: "$.m", ItemProcessor: one({ Type: "Pass" }) }),
        input: { v: [1, 2], m: "1" },
        check: output([1, 2]),
    },
    {
        title: "SecondsPath to 1.5 cannot be parsed as a long (base/test_wait::test_base_wait_seconds_path[1.5])",
        definition: one({ Type: "Wait", SecondsPath: "$.w" }),
        input: { w: 1.5 },
        check: failedWith("States.Runtime", /The SecondsPath parameter cannot be parsed as a long value: \$\.w == 1\.5$/),
    },
    {
        title: "SecondsPath to -1 is a negative value (base/test_wait::test_base_wait_seconds_path[-1])",
        definition: one({ Type: "Wait", SecondsPath: "$.w" }),
        input: { w: -1 },
        check: failedWith("States.Runtime", /The SecondsPath parameter references a negative value: \$\.w == -1$/),
    },
    {
        title: "a Pass Result over 256 KiB is States.DataLimitExceeded (error_handling/test_states_errors::test_start_large_input)",
        definition: one({ Type: "Pass", Result: { a: "a".repeat(257 * 1024) } }),
        check: failedWith(
            "States.DataLimitExceeded",
            /^The state\/task 'S' returned a result with a size exceeding the maximum number of bytes service limit\.$/,
        ),
    },
    {
        title: "TestState's context: the state shown as StateName, no RedriveCount, a null role (test_state snapshots)",
        definition: one({ Type: "Pass", Parameters: { "c.$": "$$" } }),
        options: { context: { StateName: "StateName", Execution: { RoleArn: null, RedriveCount: null } } },
        check: (r) => {
            const c = (r.output as { c: { State: { Name: string }; Execution: Record<string, unknown> } }).c;
            assert.equal(c.State.Name, "StateName");
            assert.equal(c.Execution.RoleArn, null);
            assert.ok(!("RedriveCount" in c.Execution));
        },
    },
    {
        title: "a Wait state waits what `waitMs` says, given its seconds",
        definition: one({ Type: "Wait", Seconds: 3600 }),
        input: 1,
        options: { waitMs: (seconds) => (seconds === 3600 ? 0 : 1e9) },
        check: output(1),
    },
];

describe("engine fixes shown by AWS recordings", () => {
    for (const row of rows) it(row.title, async () => row.check(await new Engine(row.definition).run(row.input ?? {}, row.options)));

    it("refuses what AWS refused at CreateStateMachine (scenarios::test_wait_timestamp_invalid, ::test_illegal_escapes)", () => {
        for (const timestamp of ["2016-12-05 21:29:29Z", "2016-12-05T21:29:29", "2016-13-05T21:29:29Z", "{% '2016-03-14T01:59:00Z' %}"])
            assert.throws(
                () => new Engine(one({ Type: "Wait", Timestamp: timestamp })),
                /does not match RFC3339 timestamp at \/States\/S\/Timestamp/,
                timestamp,
            );
        assert.throws(
            () => new Engine(one({ Type: "Pass", Parameters: { "p.$": "States.Format('a \\\"b\\\"')" } })),
            /the value for the field 'p\.\$' must be a valid JSONPath or a valid intrinsic function call at \/States\/S\/Parameters/,
        );
        assert.doesNotThrow(() => new Engine(one({ Type: "Wait", Timestamp: "2016-03-05T21:29:29.243167252Z" })));
    });

    it("a Distributed Map applies ItemSelector with $$.Map.Item and checks ToleratedFailureCountPath (scenarios::test_map_state_config_distributed_item_selector, ::test_map_state_tolerated_failure_count_path)", async () => {
        const runner = (map: Record<string, unknown>) =>
            new LocalRunner(
                one({
                    Type: "Map",
                    ItemsPath: "$.v",
                    ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, ...one({ Type: "Pass" }) },
                    ...map,
                }),
                { http: new HttpTaskEmulator({ connections: new Map(), region: "us-east-1" }), outbox: new Outbox() },
            );
        const selected = await runner({ ItemSelector: { "i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "k.$": "$.k" } }).run({ v: ["a", "b"], k: 1 });
        assert.deepEqual(selected.output, [
            { i: 0, v: "a", k: 1 },
            { i: 1, v: "b", k: 1 },
        ]);
        const refused = await runner({ ToleratedFailureCountPath: "$.t" }).run({ v: [1], t: -1 });
        assert.equal(refused.error, "States.Runtime");
        assert.match(String(refused.cause), /\(entered at the event id #2\)\. ToleratedFailureCount cannot be negative\.$/);
    });

    it("the import reads null/true/false in JSON5 lists as values, not keys (scenarios/map_state.json5)", () => {
        assert.deepEqual(parseJson5("{ a: [1, null, true, false], b: 'x', }"), { a: [1, null, true, false], b: "x" });
    });
});
