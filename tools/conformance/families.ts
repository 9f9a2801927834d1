/**
 * Which LocalStack test files make up each conformance family, and what a case may use: the Task
 * resources the project emulates, and the expressions whose values AWS draws at random or from the
 * clock (such cases are skipped, with the reason in the data).
 */

/** Where LocalStack keeps its Step Functions tests and templates. */
export const SFN_TESTS = "tests/aws/services/stepfunctions/v2";
export const SFN_TEMPLATES = "tests/aws/services/stepfunctions/templates";

/** Family → test files (without `.py`), relative to `SFN_TESTS`; a trailing `/` takes the folder. */
export const FAMILIES: Readonly<Record<string, readonly string[]>> = {
    outputdecl: ["outputdecl/"],
    assign: ["assign/"],
    query_language: ["query_language/"],
    evaluate_jsonata: ["evaluate_jsonata/"],
    intrinsic_functions: ["intrinsic_functions/"],
    choice_operators: ["choice_operators/"],
    error_handling: ["error_handling/test_states_errors"],
    base: ["base/"],
    scenarios: ["scenarios/test_base_scenarios"],
};

/** The Task resources the local runner serves (everything else would need another AWS service). */
export const EMULATED_RESOURCES: readonly string[] = [
    "arn:aws:states:::http:invoke",
    "arn:aws:states:::sns:publish",
    "arn:aws:states:::events:putEvents",
    "arn:aws:states:::s3:putObject",
];

/** Expressions whose value is random or the current time: a recording cannot be compared. */
export const NONDETERMINISTIC: readonly RegExp[] = [
    /States\.UUID/,
    /\$uuid\(/,
    /\$random\(/,
    /\$now\(/,
    /\$millis\(/,
    /\$\$\.Execution\.StartTime/,
    /\$\$\.State\.EnteredTime/,
];

/**
 * Snapshot transformers' replacement values (LocalStack's `stepfunctions_api()` and the tests'
 * `RegexTransformer`s; `date` is the basic transformer's `RegexTransformer(PATTERN_ISO8601, "date")`,
 * which rewrites every ISO-8601 timestamp): a string leaf equal to or containing one of these was rewritten after AWS
 * answered, so it is recorded in `transformed` and not compared.
 */
export const TRANSFORMED_VALUE: RegExp = /<[\w:-]+>|\b(snf_role_arn|sm_create_arn|sm_exec_arn|timestamp|lambda_function_name|111111111111|date)\b/;
