/**
 * The TestState family: LocalStack's TestState tests recorded on AWS, vendored as requests and
 * answers in `tests/conformance/data/test_state.json`. The requests are written out below from the
 * `.py` tests (their parameters are code, not data); templates and answers are read from the
 * checkout, so a newer checkout refreshes every answer. Cases that need an AWS service the project
 * does not emulate, and unmocked, are left out with the reason in `EXCLUDED`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CheckoutReader } from "./checkout";
import { parseJson5 } from "./json5";

const TEMPLATES = "tests/aws/services/stepfunctions/templates";
const TESTS = "tests/aws/services/stepfunctions/v2/test_state";
const DEFAULT_OUT = path.join(__dirname, "..", "..", "tests", "conformance", "data", "test_state.json");
/** A role ARN shaped like the recorded one (the snapshot replaced its name). */
const ROLE = "arn:aws:iam::111111111111:role/test-state-role";

/** One recorded TestState call: where its answer is, and the request the `.py` test sent. */
interface Spec {
    readonly file: string;
    readonly test: string;
    readonly answer: string;
    readonly template: string;
    readonly patch?: Record<string, unknown>;
    readonly request: Record<string, unknown>;
}

const HELLO = { Value: "HelloWorld" };
const NESTED = { initialData: { fieldFromInput: "value from input", otherField: "other" }, unrelatedData: { someOtherField: 1234 } };
const LEVELS = ["INFO", "DEBUG", "TRACE"] as const;
const ts = (name: string) => `test_state/statemachines/${name}.json5`;
const errorMock = { errorOutput: { error: "MockException", cause: "Mock the cause of the error." } };
const branches = JSON.stringify([{ branch1: "result" }, { branch2: "result" }]);

function scenarios(): Spec[] {
    const file = "test_test_state_scenarios";
    const bases: [string, string, unknown][] = [
        ["BASE_PASS_STATE", "base_pass_state", HELLO],
        ["BASE_RESULT_PASS_STATE", "base_result_pass_state", HELLO],
        ["IO_PASS_STATE", "io_pass_state", NESTED],
        ["IO_RESULT_PASS_STATE", "io_result_pass_state", NESTED],
        ["BASE_FAIL_STATE", "base_fail_state", HELLO],
        ["BASE_SUCCEED_STATE", "base_succeed_state", HELLO],
        ["BASE_CHOICE_STATE", "base_choice_state", { type: "Private", value: 22 }],
    ];
    const specs: Spec[] = [];
    for (const level of LEVELS)
        for (const [id, template, input] of bases)
            specs.push({
                file,
                test: `TestStateCaseScenarios::test_base_inspection_level_${level.toLowerCase()}[${id}]`,
                answer: "test_case_response",
                template: ts(template),
                request: { roleArn: ROLE, input, inspectionLevel: level },
            });
    const exprs: [string, string][] = [
        ["MAX_CONCURRENCY", "MaxConcurrency"],
        ["TOLERATED_FAILURE_PERCENTAGE", "ToleratedFailurePercentage"],
        ["TOLERATED_FAILURE_COUNT", "ToleratedFailureCount"],
    ];
    for (const [id, field] of exprs) {
        const request = (level: string) => ({ roleArn: ROLE, input: { Values: [1, 2, 3] }, mock: { result: "[1, 1, 1]" }, inspectionLevel: level });
        const patch = { [field]: "{% $variable := 1 %}" };
        for (const level of LEVELS)
            specs.push({
                file,
                test: `TestStateCaseScenarios::test_base_map_state_inspect[${id}-${level}]`,
                answer: "test_case_response",
                template: ts("base_map_state"),
                patch,
                request: request(level),
            });
        specs.push({
            file,
            test: `TestStateCaseScenarios::test_base_map_state_inspect_trace[${id}]`,
            answer: "test_case_response",
            template: ts("base_map_state"),
            patch,
            request: request("TRACE"),
        });
    }
    for (const level of LEVELS) {
        const test = `TestStateCaseScenarios::test_state_task_catch_error[${level}]`;
        const base = { roleArn: ROLE, input: HELLO, inspectionLevel: level };
        specs.push({
            file,
            test,
            answer: "test_catch_mock_exception_response",
            template: ts("base_task_state_catch"),
            request: { ...base, ...{ mock: errorMock } },
        });
        specs.push({
            file,
            test,
            answer: "catch_task_failed_response",
            template: ts("base_task_state_catch"),
            request: { ...base, mock: { errorOutput: { error: "States.TaskFailed", cause: "The task failed." } } },
        });
    }
    const blog = { file, test: "TestStateCaseScenarios::test_localstack_blogpost_scenario", template: ts("localstack_blogpost_scenario_state_machine") };
    const patch = { "States.Ask for Approval.Arguments.ApiEndpoint": "example.execute-api.<region>.amazonaws.com" };
    const trace = (stateName: string, input: unknown, more = {}) => ({ stateName, input, inspectionLevel: "TRACE", ...more });
    specs.push(
        { ...blog, patch, answer: "small_purchase_approval_required_response", request: trace("Approval Required", { cost: 9 }) },
        { ...blog, patch, answer: "large_purchase_approval_required_response", request: trace("Approval Required", { cost: 10 }) },
        {
            ...blog,
            patch,
            answer: "large_purchase_ask_for_approval_response",
            request: trace("Ask for Approval", { cost: 10 }, { mock: { result: '{"approval": true }' } }),
        },
        {
            ...blog,
            patch,
            answer: "check_approval_granted_response",
            request: trace("Check Approval", { approval: true, approval_code: "2387462", approved_by: "Mary" }),
        },
        { ...blog, patch, answer: "check_approval_denied_response", request: trace("Check Approval", { approval: false }) },
    );
    const variables: [string, string, unknown][] = [
        ["base_expressions", "base_expr", { var_input_value: "test_value", var_constant_1: 10 }],
        ["empty_variables", "base_literals", {}],
    ];
    for (const [id, template, vars] of variables)
        specs.push({
            file,
            test: `TestStateCaseScenarios::test_state_with_variables[${id}]`,
            answer: "test_case_response",
            template: `outputdecl/statemachines/${template}.json5`,
            request: trace("State0", { input_values: [1, 2, 3] }, { variables: JSON.stringify(vars) }),
        });
    return specs;
}

function machines(): Spec[] {
    const file = "test_test_state_machine_scenarios";
    const specs: Spec[] = [];
    const named: [string, string][] = [
        ["BASE_PASS_STATE_MACHINE", "State0"],
        ["BASE_FAIL_STATE_MACHINE", "State0"],
        ["BASE_MAP_STATE_MACHINE", "HandleItem"],
    ];
    for (const level of LEVELS) {
        for (const [id, stateName] of named)
            specs.push({
                file,
                test: `TestStateMachineScenarios::test_base_state_name[${level}-${id}]`,
                answer: "test_case_response",
                template: ts(id.toLowerCase()),
                request: { stateName, input: HELLO, inspectionLevel: level },
            });
        for (const stateName of ["State0", "State1"])
            specs.push({
                file,
                test: `TestStateMachineScenarios::test_base_state_name_multi_state[${level}-${stateName}]`,
                answer: "test_case_response",
                template: ts("base_multi_state_machine"),
                request: { stateName, input: HELLO, inspectionLevel: level },
            });
    }
    for (const [id, stateName] of [
        ["dne", "dne"],
        ["invalid", '"invalid"'],
    ])
        specs.push({
            file,
            test: `TestStateMachineScenarios::test_base_state_name_validation_failures[${id}]`,
            answer: "exception",
            template: ts("base_pass_state_machine"),
            request: { stateName, input: HELLO, inspectionLevel: "INFO" },
        });
    specs.push({
        file,
        test: "TestStateMachineScenarios::test_state_name_invalid_state_definition",
        answer: "validation_exception",
        template: ts("base_invalid_state_definition"),
        request: { stateName: "ExistingButInvalidState", input: HELLO, inspectionLevel: "INFO" },
    });
    return specs;
}

function mocks(): Spec[] {
    const file = "test_test_state_mock_scenarios";
    const one = (test: string, template: string, input: unknown, result: unknown, answer = "test_case_response"): Spec => ({
        file,
        test: `TestStateMockScenarios::${test}`,
        answer,
        template: ts(template),
        request: { input, inspectionLevel: "INFO", mock: { result: typeof result === "string" ? result : JSON.stringify(result) } },
    });
    const item = { TableName: "<table_name>", Item: { data: { S: "HelloWorld" }, id: { S: "id1" } } };
    const specs = [
        one(
            "test_base_lambda_service_task_mock_success",
            "base_lambda_service_task_state",
            { FunctionName: "<lambda_function_name>", Payload: null },
            { Payload: "function output", SdkHttpMetadata: { HttpStatusCode: 200 } },
        ),
        one("test_io_dynamodb_service_task_mock_success[base]", "base_dynamodb_service_task_state", item, { SdkHttpMetadata: { HttpStatusCode: 200 } }),
        one("test_io_dynamodb_service_task_mock_success[io]", "io_dynamodb_service_task_state", item, { SdkHttpMetadata: { HttpStatusCode: 200 } }),
        one("test_io_dynamodb_service_task_mock_success[io_output_path]", "io_output_path_dynamodb_service_task_state", item, {
            SdkHttpMetadata: { HttpStatusCode: 200 },
        }),
        one(
            "test_put_events_mock_success",
            "base_events_put_events",
            { Entries: [{ Detail: "detail", DetailType: "detail_type", Source: "source" }] },
            { Entries: [{ EventId: "<uuid:1>" }] },
        ),
        one(
            "test_send_sqs_message_success",
            "base_sqs_send_message",
            { QueueUrl: "queue_url", MessageBody: "message_body" },
            { MD5OfMessageBody: "<md5_of_message_body>", MessageId: "<uuid:1>" },
        ),
        one(
            "test_sfn_start_execution_success",
            "base_sfn_start_execution",
            { stateMachineArn: "arn:aws:states:<region>:111111111111:stateMachine:TargetStateMachine", targetInput: null, name: "TestStartTarget" },
            { ExecutionArn: "arn:<partition>:states:<region>:111111111111:execution:TargetStateMachine:TestStartTarget", StartDate: "start-date" },
        ),
        one(
            "test_base_lambda_service_task_mock_is_not_json_string",
            "base_lambda_service_task_state",
            { FunctionName: "<lambda_function_name>", Payload: null },
            "not JSON string",
            "validation-exception",
        ),
    ];
    for (const [test, template, input] of [
        ["test_base_parallel_state_mock_success", "base_parallel_state", { key: "value" }],
        ["test_io_parallel_state_mock_success", "io_parallel_state", { parallelInput: { data: "input_value" } }],
        ["test_io_jsonata_parallel_state_mock_success", "io_jsonata_parallel_state", { parallelInput: { data: "input_value" } }],
    ] as const)
        for (const level of LEVELS)
            specs.push({
                file,
                test: `TestStateMockScenarios::${test}[${level}]`,
                answer: "test_case_response",
                template: ts(template),
                request: { input, inspectionLevel: level, mock: { result: branches } },
            });
    return specs;
}

function configuration(): Spec[] {
    const file = "test_state_configuration";
    const input = { Values: ["first", "second", "third"] };
    const specs: Spec[] = [];
    for (const level of LEVELS) {
        for (const id of ["BASE_MAP_STATE", "BASE_MAP_STATE_CATCH", "BASE_MAP_STATE_RETRY", "MAP_TASK_STATE"]) {
            const test = `TestStateConfiguration::test_map_state_failure_count[${level}-${id}]`;
            const base = { roleArn: ROLE, input, inspectionLevel: level };
            specs.push({
                file,
                test,
                answer: "below_tolerated_failure",
                template: ts(id.toLowerCase()),
                request: { ...base, stateConfiguration: { mapIterationFailureCount: 0 }, mock: { result: "[1, 1, 1]" } },
            });
            specs.push({
                file,
                test,
                answer: "exceeds_tolerated_failure",
                template: ts(id.toLowerCase()),
                request: { ...base, stateConfiguration: { mapIterationFailureCount: 2 }, mock: { result: "[0, 0, 1]" } },
            });
        }
        specs.push({
            file,
            test: `TestStateConfiguration::test_map_state_error_caused_by_state[${level}]`,
            answer: "test_case_response",
            template: ts("base_map_state"),
            request: {
                roleArn: ROLE,
                input: { Values: [1, 1, 1] },
                stateConfiguration: { errorCausedByState: "TestState" },
                inspectionLevel: level,
                mock: errorMock,
            },
        });
    }
    for (const level of ["DEBUG", "TRACE"]) {
        const test = `TestStateConfiguration::test_state_configuration_retrier_retry_count[${level}]`;
        const base = { roleArn: ROLE, input, inspectionLevel: level, mock: errorMock };
        specs.push({
            file,
            test,
            answer: "below_tolerated_retry_count_with_backoff",
            template: ts("base_task_state_retry"),
            request: { ...base, stateConfiguration: { retrierRetryCount: 4 } },
        });
        specs.push({
            file,
            test,
            answer: "exceeds_tolerated_retry_count",
            template: ts("base_task_state_retry"),
            request: { ...base, stateConfiguration: { retrierRetryCount: 5 } },
        });
    }
    return specs;
}

function mockValidation(): Spec[] {
    const file = "test_state_mock_validation";
    const one = (test: string, template: string, request: Record<string, unknown>, patch?: Record<string, unknown>): Spec => ({
        file,
        test: `TestStateMockValidation::${test}`,
        answer: "validation_exception",
        template: ts(template),
        ...(patch ? { patch } : {}),
        request: { inspectionLevel: "TRACE", ...request },
    });
    const specs: Spec[] = [];
    for (const [mockId, mock] of [
        ["mock_result", { result: JSON.stringify({ mock: "the unmockable" }) }],
        ["mock_error_output", { errorOutput: { error: "Error", cause: "Cause" } }],
    ] as const)
        for (const [id, template] of [
            ["PassState", "base_pass_state"],
            ["FailState", "base_fail_state"],
            ["SucceedState", "base_succeed_state"],
        ])
            specs.push(one(`test_state_type_does_not_accept_mock[${mockId}-${id}]`, template, { mock }));
    for (const [id, template] of [
        ["MapState", "base_map_state"],
        ["MapTaskState", "map_task_state"],
        ["ParallelState", "base_parallel_state"],
    ])
        specs.push(one(`test_state_type_requires_mock[${id}]`, template, {}));
    const lambda = "base_lambda_service_task_state";
    const notArray = { result: JSON.stringify({ mock: "array is expected but object is provided instead" }) };
    specs.push(
        one("test_both_mock_result_and_mock_error_output_are_set", lambda, {
            mock: { result: JSON.stringify({ mock: "response" }), errorOutput: { error: "Error", cause: "Cause" } },
        }),
        one("test_reveal_secrets_is_true_and_mock_result_is_set", lambda, { mock: { result: JSON.stringify({ mock: "response" }) }, revealSecrets: true }),
        one("test_mock_result_is_not_array_on_map_state_without_result_writer", "base_map_state", { mock: notArray }),
        one("test_mock_result_is_not_object_on_map_state_with_result_writer", "base_map_state_result_writer", {
            mock: { result: JSON.stringify(["object is expected but array is provided instead"]) },
        }),
        one("test_mock_result_is_not_array_on_parallel_state", "base_parallel_state", { mock: notArray }),
        one("test_mock_result_array_size_mismatch_on_parallel_state", "base_parallel_state", { mock: { result: JSON.stringify([{ branch1: "result" }]) } }),
        one("test_parallel_state_empty_branches", "base_parallel_state", { mock: { result: "[]" } }, { Branches: [] }),
        one("test_map_iteration_failure_count_without_mock", "base_map_state", { stateConfiguration: { mapIterationFailureCount: 0 } }),
        one("test_map_iteration_failure_count_exceeds_mock_result_items", "base_map_state", {
            input: { Values: [1, 1, 1] },
            stateConfiguration: { mapIterationFailureCount: 4 },
            mock: { result: "[1, 1, 1]" },
        }),
    );
    return specs;
}

/** Recorded tests not vendored, and why. */
export const EXCLUDED: readonly { readonly tests: string; readonly reason: string }[] = [
    {
        tests: "test_test_state_scenarios: test_base_lambda_task_state, test_base_lambda_service_task_state",
        reason: "unmocked calls to AWS Lambda, which the project does not emulate",
    },
    {
        tests: "test_test_state_scenarios: test_base_lambda_service_task_state_no_role_arn_validation",
        reason: "about the IAM role TestState assumes; the local run assumes none",
    },
    { tests: "test_test_state_scenarios: test_base_inspection_level_info[BASE_MAP_STATE]", reason: "recorded with no answer" },
    {
        tests: "test_test_state_machine_scenarios: test_base_state_name_validation_failures[empty]",
        reason: "refused by the SDK's parameter validation before any request",
    },
    {
        tests: "test_field_validation_mode*",
        reason: "validates mock results against each service's API model (Lambda, DynamoDB, S3, KMS, Step Functions, EventBridge); the project has none of those models",
    },
    { tests: "test_state_context_object", reason: "TestState's `context` input, which the CLI does not offer; not modelled locally" },
    { tests: "test_state_configuration: *item_reader*", reason: "`mapItemReaderData` and ItemReader-only Map settings, not modelled locally" },
];

/** Sets `value` at a dotted `at` of `template` (a path whose names may hold spaces). */
function patched(template: Record<string, unknown>, patch: Record<string, unknown> | undefined): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(template)) as Record<string, unknown>;
    for (const [at, value] of Object.entries(patch ?? {})) {
        const keys = at.split(".");
        let node = copy;
        for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
        node[keys[keys.length - 1]] = value;
    }
    return copy;
}

/** Writes the TestState family's data from `source` (a LocalStack checkout) to `outFile`. */
export async function importTestStateCases(source: CheckoutReader, outFile: string = DEFAULT_OUT): Promise<void> {
    const snapshots = new Map<string, Record<string, { "recorded-date": string; "recorded-content": Record<string, Record<string, unknown>> }>>();
    const snapshot = (file: string) => {
        if (!snapshots.has(file)) snapshots.set(file, JSON.parse(source.read(`${TESTS}/${file}.snapshot.json`)));
        return snapshots.get(file)!;
    };
    const cases = [...scenarios(), ...machines(), ...mocks(), ...configuration(), ...mockValidation()].map((spec) => {
        const entry = snapshot(spec.file)[`${TESTS}/${spec.file}.py::${spec.test}`];
        if (!entry || !(spec.answer in entry["recorded-content"]))
            throw new Error(`No recorded answer \`${spec.answer}\` for \`${spec.test}\` in ${spec.file}.snapshot.json.`);
        const { ResponseMetadata: _metadata, ...answer } = entry["recorded-content"][spec.answer];
        const template = patched(parseJson5(source.read(`${TEMPLATES}/${spec.template}`)) as Record<string, unknown>, spec.patch);
        const { input, ...rest } = spec.request;
        const request = { definition: JSON.stringify(template), ...(input !== undefined ? { input: JSON.stringify(input) } : {}), ...rest };
        const refused = "Error" in answer || "exception_typename" in answer;
        return {
            id: `${spec.test} ${spec.answer}`,
            recorded: entry["recorded-date"],
            source: `${TESTS}/${spec.file}.py`,
            request,
            [refused ? "refusal" : "response"]: answer,
        };
    });
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, `${JSON.stringify({ family: "test_state", excluded: EXCLUDED, cases }, null, 1)}\n`);
}

if (require.main === module) {
    // Standalone: `ts-node tools/conformance/test-state.ts <localstack git dir>`.
    void import("./checkout").then(({ gitReader }) => importTestStateCases(gitReader(process.argv[2] ?? ".git")));
}
