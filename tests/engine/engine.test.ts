/**
 * The engine's semantics, one row per rule, each with its source: an AWS documentation page or an
 * execution recorded on AWS (LocalStack's AWS-recorded snapshots, named by test id).
 */
import * as assert from "node:assert/strict";
import { Engine, RunOptions, TaskHandler } from "../../tools/engine/engine";

type Row = { title: string; definition: unknown; input?: unknown; options?: RunOptions; output?: unknown; error?: string; cause?: RegExp; events?: string[] };
const pass = (extra: Record<string, unknown> = {}) => ({ Type: "Pass", End: true, ...extra });
const one = (state: Record<string, unknown>, top: Record<string, unknown> = {}) => ({ StartAt: "S", States: { S: state }, ...top });
const echo: TaskHandler = async (input) => input;
const failing = (...errors: string[]): TaskHandler => {
    let n = 0;
    return async (input) => {
        const name = errors[n++];
        if (name === undefined) return input;
        const e = new Error(`cause ${n}`);
        e.name = name;
        throw e;
    };
};

const rows: Row[] = [
    {
        title: "evaluates OutputPath with the variables from before the state's Assign (recorded: assign/test_state_assign_evaluation_order)",
        definition: {
            StartAt: "A",
            States: {
                A: { Type: "Pass", Result: { q: "x" }, Assign: { "question.$": "$.q", answer: 42 }, Next: "B" },
                B: pass({ InputPath: "$answer", ResultPath: "$.a", OutputPath: "$answer", Assign: { answer: "new" } }),
            },
        },
        output: 42,
    },
    {
        title: "InputPath → Parameters (path, context, intrinsic) → ResultSelector → ResultPath → OutputPath (AWS: Processing input and output)",
        definition: one({
            Type: "Task",
            Resource: "arn:aws:states:::http:invoke",
            InputPath: "$.in",
            Parameters: { "v.$": "$.v", "name.$": "$$.Execution.Name", "f.$": "States.Format('n{}', $.v)" },
            ResultSelector: { "got.$": "$" },
            ResultPath: "$.deep.r",
            OutputPath: "$.deep",
            End: true,
        }),
        input: { in: { v: 1 }, keep: true },
        options: { taskHandlers: { S: echo }, context: { Execution: { Name: "exec" } } },
        output: { r: { got: { v: 1, name: "exec", f: "n1" } } },
    },
    { title: "ResultPath null keeps the input (AWS: ResultPath)", definition: one(pass({ Result: 1, ResultPath: null })), input: { a: 1 }, output: { a: 1 } },
    {
        title: "a missing InputPath is States.Runtime with AWS's cause (recorded: error_handling/test_states_errors)",
        definition: one(pass({ InputPath: "$.NoSuchInputPath" })),
        error: "States.Runtime",
        cause: /^An error occurred while executing the state 'S' \(entered at the event id #2\)\. Invalid path '\$\.NoSuchInputPath' : No results for path: \$\['NoSuchInputPath'\]$/,
    },
    {
        title: "States.Runtime is not caught even when named (recorded: scenarios/test_catch_states_runtime)",
        definition: {
            StartAt: "T",
            States: {
                T: { Type: "Task", Resource: "x", OutputPath: "$.no.such", Catch: [{ ErrorEquals: ["States.Runtime"], Next: "C" }], End: true },
                C: pass(),
            },
        },
        options: { taskHandlers: { T: async () => ({}) } },
        error: "States.Runtime",
        cause: /Missing property in path \$\['no'\]/,
    },
    {
        title: "retries per retrier up to MaxAttempts, then the first matching catcher; JSONPath ResultPath of {Error, Cause} (AWS: Handling errors)",
        definition: {
            StartAt: "T",
            States: {
                T: {
                    Type: "Task",
                    Resource: "x",
                    Retry: [{ ErrorEquals: ["E"], MaxAttempts: 1 }],
                    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "C" }],
                    End: true,
                },
                C: pass(),
            },
        },
        input: { a: 1 },
        options: { taskHandlers: { T: failing("E", "E") }, retryWaitOverrides: { T: 0 } },
        output: { a: 1, err: { Error: "E", Cause: "cause 2" } },
        events: [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded",
        ],
    },
    {
        title: "MaxAttempts 0 never retries; States.TaskFailed does not match States.Timeout (AWS: Handling errors)",
        definition: one({ Type: "Task", Resource: "x", Retry: [{ ErrorEquals: ["E"], MaxAttempts: 0 }, { ErrorEquals: ["States.TaskFailed"] }], End: true }),
        options: { taskHandlers: { S: failing("E") }, retryWaitOverrides: { S: 0 } },
        error: "E",
    },
    {
        title: "TimeoutSeconds ends a Task with States.Timeout (AWS: Task state)",
        definition: one({ Type: "Task", Resource: "x", TimeoutSeconds: 0.01, End: true }),
        options: { taskHandlers: { S: () => new Promise(() => undefined) } },
        error: "States.Timeout",
    },
    {
        title: "a JSONata Choice rule's own Output applies; the state-level Output only on Default (recorded: outputdecl/test_output_in_choice)",
        definition: {
            QueryLanguage: "JSONata",
            StartAt: "S",
            States: {
                S: {
                    Type: "Choice",
                    Choices: [{ Condition: "{% $states.input.n > 1 %}", Output: { rule: true }, Next: "E" }],
                    Default: "E",
                    Output: { state: true },
                },
                E: pass(),
            },
        },
        input: { n: 2 },
        output: { rule: true },
    },
    {
        title: "the state-level Output applies when Default is taken (AWS: Choice state)",
        definition: {
            QueryLanguage: "JSONata",
            StartAt: "S",
            States: {
                S: { Type: "Choice", Choices: [{ Condition: "{% false %}", Output: { rule: true }, Next: "E" }], Default: "E", Output: { state: true } },
                E: pass(),
            },
        },
        output: { state: true },
    },
    {
        title: "a matching JSONata Choice rule without Output passes the input on (AWS: Choice state)",
        definition: {
            QueryLanguage: "JSONata",
            StartAt: "S",
            States: { S: { Type: "Choice", Choices: [{ Condition: "{% true %}", Next: "E" }], Output: { state: true } }, E: pass() },
        },
        input: { n: 2 },
        output: { n: 2 },
    },
    {
        title: "no rule matches and no Default: States.NoChoiceMatched (AWS: Choice state)",
        definition: { StartAt: "S", States: { S: { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "E" }] }, E: pass() } },
        input: { n: 2 },
        error: "States.NoChoiceMatched",
    },
    {
        title: "a JSONata expression yielding undefined is States.QueryEvaluationError (recorded: assign/test_undefined_reference BASE_UNDEFINED_OUTPUT_FIELD)",
        definition: one(pass({ Output: { result: "{% $doesNotExist %}" } }), { QueryLanguage: "JSONata" }),
        error: "States.QueryEvaluationError",
        cause: /^An error occurred while executing the state 'S' \(entered at the event id #2\)\. The JSONata expression '\$doesNotExist' specified for the field 'Output\/result' returned nothing \(undefined\)\.$/,
    },
    {
        title: "JSONata Arguments, $states.result in Output and Assign, variables in later states (AWS: Passing data with variables)",
        definition: {
            QueryLanguage: "JSONata",
            StartAt: "T",
            States: {
                T: {
                    Type: "Task",
                    Resource: "x",
                    Arguments: { x: "{% $states.input.a %}" },
                    Assign: { got: "{% $states.result.x %}" },
                    Output: "{% $states.result %}",
                    Next: "P",
                },
                P: pass({ Output: { seen: "{% $got %}" } }),
            },
        },
        input: { a: 5 },
        options: { taskHandlers: { T: echo } },
        output: { seen: 5 },
    },
    {
        title: "a JSONata catcher's Output and Assign see $states.errorOutput (recorded: assign BASE_ASSIGN_IN_CATCH)",
        definition: {
            QueryLanguage: "JSONata",
            StartAt: "T",
            States: {
                T: {
                    Type: "Task",
                    Resource: "x",
                    Catch: [{ ErrorEquals: ["States.ALL"], Assign: { e: "{% $states.errorOutput.Error %}" }, Next: "P" }],
                    End: true,
                },
                P: pass({ Output: "{% $e %}" }),
            },
        },
        options: { taskHandlers: { T: failing("Boom") } },
        output: "Boom",
    },
    {
        title: "a JSONPath state inside a JSONata machine (AWS: Query language, state-level QueryLanguage)",
        definition: one(pass({ QueryLanguage: "JSONPath", Parameters: { "v.$": "$.v" } }), { QueryLanguage: "JSONata" }),
        input: { v: 3 },
        output: { v: 3 },
    },
    {
        title: "Map reads outer variables; iteration assignments do not leak (recorded: assign BASE_SCOPE_MAP)",
        definition: {
            StartAt: "A",
            States: {
                A: { Type: "Pass", Assign: { outer: 1 }, Next: "M" },
                M: {
                    Type: "Map",
                    ItemsPath: "$.items",
                    ItemSelector: { "i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value" },
                    MaxConcurrency: 1,
                    ItemProcessor: {
                        StartAt: "I",
                        States: { I: { Type: "Pass", Assign: { outer: 2 }, Parameters: { "i.$": "$.i", "v.$": "$.v", "o.$": "$outer" }, End: true } },
                    },
                    Next: "B",
                },
                B: pass({ Parameters: { "r.$": "$", "o.$": "$outer" } }),
            },
        },
        input: { items: ["a", "b"] },
        output: {
            r: [
                { i: 0, v: "a", o: 1 },
                { i: 1, v: "b", o: 1 },
            ],
            o: 1,
        },
    },
    {
        title: "a failing Parallel branch fails the state with its error, which Catch handles (AWS: Parallel state)",
        definition: {
            StartAt: "P",
            States: {
                P: {
                    Type: "Parallel",
                    Branches: [one(pass({ Result: 1 })), one({ Type: "Fail", Error: "Bad", Cause: "why" })],
                    Catch: [{ ErrorEquals: ["Bad"], Next: "C" }],
                    End: true,
                },
                C: pass(),
            },
        },
        output: { Error: "Bad", Cause: "why" },
    },
    {
        title: "Fail ends the execution with Error and Cause (AWS: Fail state)",
        definition: one({ Type: "Fail", Error: "E", Cause: "c" }),
        error: "E",
        cause: /^c$/,
    },
    {
        title: "Wait with the run's override (AWS: Wait state)",
        definition: one({ Type: "Wait", Seconds: 60, End: true }),
        input: 1,
        options: { waitOverrideMs: 0 },
        output: 1,
    },
    {
        title: "a Task result over 256 KiB is States.DataLimitExceeded, never caught (AWS: Service quotas; Handling errors)",
        definition: one({ Type: "Task", Resource: "x", Catch: [{ ErrorEquals: ["States.ALL"], Next: "S" }], End: true }),
        options: { taskHandlers: { S: async () => "x".repeat(300 * 1024) } },
        error: "States.DataLimitExceeded",
    },
];

describe("engine semantics", () => {
    for (const row of rows)
        it(row.title, async () => {
            const definition = JSON.parse(JSON.stringify(row.definition));
            const result = await new Engine(definition).run(row.input ?? {}, row.options);
            if (row.error) {
                assert.equal(result.status, "FAILED");
                assert.equal(result.error, row.error, result.cause);
                if (row.cause) assert.match(result.cause ?? "", row.cause);
            } else {
                assert.equal(result.status, "SUCCEEDED", `${result.error}: ${result.cause}`);
                assert.deepEqual(result.output, row.output);
            }
            if (row.events)
                assert.deepEqual(
                    result.events.map((e) => e.type),
                    row.events,
                );
        });

    it("refuses a definition whose Next names no state, or with States.ALL not last (ASL specification)", () => {
        assert.throws(() => new Engine({ StartAt: "A", States: { A: { Type: "Pass", Next: "Z" } } }), /`Next` "Z" is not a state/);
        const catchAll = {
            StartAt: "A",
            States: { A: { Type: "Task", Resource: "x", Retry: [{ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["E"] }], End: true } },
        };
        assert.throws(() => new Engine(catchAll), /States.ALL` must appear alone in the last retrier/);
    });
});
