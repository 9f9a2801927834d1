// JSONPath Choice rules against the executions LocalStack recorded on AWS
// (tests/aws/services/stepfunctions/v2/choice_operators/<file>.snapshot.json): each recorded case is a
// Choice `{ "Variable": "$.Variable", "<Operator>": <literal> | "$.Value" }` run on
// `{ "Variable": v, "Value": w }`; the expected column is the recorded branch (T = ConditionTrue).
import * as assert from "node:assert/strict";
import { matchesRule } from "../../tools/engine/choice-rules";
import { EngineError, type PathScope } from "../../tools/engine/scope";

const scope = (input: unknown, variables: Record<string, unknown> = {}): PathScope => ({ input, context: {}, variables });

/** The recorded cases' inputs (v2/choice_operators/utils.py TYPE_COMPARISONS and the per-test lists). */
const TYPE_COMPARISONS: [unknown, boolean][] = [
    [null, true],
    [null, false],
    [0, true],
    [0, false],
    [0.0, true],
    [0.0, false],
    [1, true],
    [1, false],
    [1.1, true],
    [1.1, false],
    ["", true],
    ["", false],
    [" ", true],
    [" ", false],
    ["HelloWorld", true],
    ["HelloWorld", false],
    ["2012-10-09T19:00:55", true],
    ["2012-10-09T19:00:55", false],
    ["2012-10-09T19:00:55Z", true],
    ["2012-10-09T19:00:55Z", false],
    ["2012-10-09T19:00:55+01:00", true],
    ["2012-10-09T19:00:55+01:00", false],
    ["2023-02-24", true],
    ["2023-02-24", false],
    [[], true],
    [[], false],
    [[""], true],
    [[""], false],
    [{}, true],
    [{}, false],
    [{ A: 0 }, true],
    [{ A: 0 }, false],
    [true, true],
    [false, true],
    [false, true],
    [false, false],
];
const VARS: unknown[] = [null, 0, 0.0, 1, 1.1, "", " ", [], [""], {}, { A: 0 }, false, true];
const NUMERIC_EQUALS: [unknown, unknown][] = [...VARS.flatMap((v) => [0, 0.0, 1, 1.0].map((w): [unknown, unknown] => [v, w])), [-0, 0], [0.0, 0], [2.22, 2.22]];
const NUMERIC_ORDER: [unknown, unknown][] = [
    [-0, 0],
    [0.0, 0],
    [0, 1],
    [1, 1],
    [1, 0],
    [0, 1],
];
const STRING_GT: [unknown, unknown][] = [
    ["", ""],
    ["A", "A "],
    ["A", "A\t\n\r"],
    ["AB", "ABC"],
];
const STRING_ORDER: [unknown, unknown][] = [
    ["", ""],
    ["A", "AB"],
    ["AB", "A"],
];
const STRING_EQUALS_PATH: [unknown, unknown][] = [
    [" ", "     "],
    ["\t\n", "\t\r\n"],
    ["Hello", "Hello"],
];
const [T0, T1] = ["2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z"];
const TIMESTAMP_VARS: unknown[] = [null, 0, 0.0, 1, 1.1, "", " ", "2023-02-24 12:15:56.832957", [], [""], {}, { A: 0 }, false, true];
const BASE: [unknown, unknown][] = [
    [T0, T0],
    [T0, T1],
    [T1, T0],
];

/** [snapshot file, operator, cases, recorded outcomes, literal operand (false: `"$.Value"`)]. */
const recorded: [string, string, [unknown, unknown][], string, boolean][] = [
    ["test_is_operators", "IsBoolean", TYPE_COMPARISONS, "FTFTFTFTFTFTFTFTFTFTFTFTFTFTFTFTTTTF", true],
    ["test_is_operators", "IsNull", TYPE_COMPARISONS, "TFFTFTFTFTFTFTFTFTFTFTFTFTFTFTFTFFFT", true],
    ["test_is_operators", "IsNumeric", TYPE_COMPARISONS, "FTTFTFTFTFFTFTFTFTFTFTFTFTFTFTFTFFFT", true],
    ["test_is_operators", "IsPresent", TYPE_COMPARISONS, "TFTFTFTFTFTFTFTFTFTFTFTFTFTFTFTFTTTF", true],
    ["test_is_operators", "IsString", TYPE_COMPARISONS, "FTFTFTFTFTTFTFTFTFTFTFTFFTFTFTFTFFFT", true],
    ["test_boolean_equals", "BooleanEquals", TYPE_COMPARISONS, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFTFFT", true],
    ["test_boolean_equals", "BooleanEqualsPath", TYPE_COMPARISONS, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFTFFT", false],
    ["test_numeric", "NumericEquals", NUMERIC_EQUALS, "FFFFTTFFTTFFFFTTFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFTTT", true],
    ["test_numeric", "NumericEqualsPath", NUMERIC_EQUALS, "FFFFTTFFTTFFFFTTFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFTTT", false],
    ["test_numeric", "NumericGreaterThan", NUMERIC_ORDER, "FFFFTF", true],
    ["test_numeric", "NumericGreaterThanPath", NUMERIC_ORDER, "FFFFTF", false],
    ["test_numeric", "NumericGreaterThanEquals", NUMERIC_ORDER, "TTFTTF", true],
    ["test_numeric", "NumericGreaterThanEqualsPath", NUMERIC_ORDER, "TTFTTF", false],
    ["test_numeric", "NumericLessThan", NUMERIC_ORDER, "FFTFFT", true],
    ["test_numeric", "NumericLessThanPath", NUMERIC_ORDER, "FFTFFT", false],
    ["test_numeric", "NumericLessThanEquals", NUMERIC_ORDER, "TTTTFT", true],
    ["test_numeric", "NumericLessThanEqualsPath", NUMERIC_ORDER, "TTTTFT", false],
    ["test_string_operators", "StringEquals", [...VARS.map((v): [unknown, unknown] => [v, "HelloWorld"]), ...STRING_EQUALS_PATH], "FFFFFFFFFFFFFFFT", true],
    ["test_string_operators", "StringEqualsPath", STRING_EQUALS_PATH, "FFT", false],
    ["test_string_operators", "StringGreaterThan", STRING_GT, "FFFF", true],
    ["test_string_operators", "StringGreaterThanPath", STRING_GT, "FFFF", false],
    ["test_string_operators", "StringGreaterThanEquals", STRING_ORDER, "TFT", true],
    ["test_string_operators", "StringGreaterThanEqualsPath", STRING_ORDER, "TFT", false],
    ["test_string_operators", "StringLessThan", STRING_ORDER, "FTF", true],
    ["test_string_operators", "StringLessThanPath", STRING_ORDER, "FTF", false],
    ["test_string_operators", "StringLessThanEquals", STRING_ORDER, "TTF", true],
    ["test_string_operators", "StringLessThanEqualsPath", STRING_ORDER, "TTF", false],
    ["test_timestamp_operators", "TimestampEquals", [...TIMESTAMP_VARS.map((v): [unknown, unknown] => [v, T0]), ...BASE], "FFFFFFFFFFFFFFTFF", true],
    ["test_timestamp_operators", "TimestampEqualsPath", BASE, "TFF", false],
    ["test_timestamp_operators", "TimestampGreaterThan", BASE, "FFT", true],
    ["test_timestamp_operators", "TimestampGreaterThanPath", [[T0, T1]], "F", false],
    ["test_timestamp_operators", "TimestampGreaterThanEquals", BASE, "TFT", true],
    ["test_timestamp_operators", "TimestampGreaterThanEqualsPath", [[T0, T1]], "F", false],
    ["test_timestamp_operators", "TimestampLessThan", BASE, "FTF", true],
    ["test_timestamp_operators", "TimestampLessThanPath", [[T1, T0]], "F", false],
    ["test_timestamp_operators", "TimestampLessThanEquals", BASE, "TTF", true],
    ["test_timestamp_operators", "TimestampLessThanEqualsPath", [[T1, T0]], "F", false],
];

/** [source, rule, input, expected]: AWS's Choice state page ("Choice Rules (JSONPath)") and RFC 3339. */
const documented: [string, Record<string, unknown>, unknown, boolean][] = [
    ["doc: StringMatches wildcard", { Variable: "$.f", StringMatches: "log-*.txt" }, { f: "log-2024-01.txt" }, true],
    ["doc: StringMatches wildcard", { Variable: "$.f", StringMatches: "log-*.txt" }, { f: "log-2024.csv" }, false],
    ["doc: StringMatches escaped \\*", { Variable: "$.f", StringMatches: "a\\*b" }, { f: "a*b" }, true],
    ["doc: StringMatches escaped \\*", { Variable: "$.f", StringMatches: "a\\*b" }, { f: "axb" }, false],
    ["doc: StringMatches escaped \\\\", { Variable: "$.f", StringMatches: "a\\\\*" }, { f: "a\\anything" }, true],
    ["doc: StringMatches is false on a non-string", { Variable: "$.f", StringMatches: "*" }, { f: 1 }, false],
    ["doc: IsPresent false on a missing field", { Variable: "$.missing", IsPresent: false }, {}, true],
    ["doc: IsPresent true on a missing field", { Variable: "$.missing", IsPresent: true }, {}, false],
    ["doc: Not", { Not: { Variable: "$.type", StringEquals: "Private" } }, { type: "Public" }, true],
    [
        "doc: And",
        {
            And: [
                { Variable: "$.value", NumericGreaterThanEquals: 20 },
                { Variable: "$.value", NumericLessThan: 30 },
            ],
        },
        { value: 22 },
        true,
    ],
    [
        "doc: And",
        {
            And: [
                { Variable: "$.value", NumericGreaterThanEquals: 20 },
                { Variable: "$.value", NumericLessThan: 30 },
            ],
        },
        { value: 30 },
        false,
    ],
    [
        "doc: Or",
        {
            Or: [
                { Variable: "$.a", BooleanEquals: true },
                { Variable: "$.b", BooleanEquals: true },
            ],
        },
        { a: false, b: true },
        true,
    ],
    ["doc: variables as Variable", { Variable: "$limit", NumericGreaterThan: 5 }, {}, true],
    ["RFC 3339: offsets compared as instants", { Variable: "$.t", TimestampEquals: "2012-10-09T19:00:55Z" }, { t: "2012-10-09T20:00:55+01:00" }, true],
    ["RFC 3339: fractional seconds", { Variable: "$.t", TimestampGreaterThan: "2012-10-09T19:00:55Z" }, { t: "2012-10-09T19:00:55.000001Z" }, true],
    ["RFC 3339: IsTimestamp needs a zone", { Variable: "$.t", IsTimestamp: true }, { t: "2012-10-09T19:00:55" }, false],
    ["RFC 3339: IsTimestamp with an offset", { Variable: "$.t", IsTimestamp: true }, { t: "2012-10-09T19:00:55+01:00" }, true],
    ["RFC 3339: IsTimestamp needs an uppercase T", { Variable: "$.t", IsTimestamp: true }, { t: "2012-10-09t19:00:55Z" }, false],
    ["RFC 3339: IsTimestamp refuses a day that does not exist", { Variable: "$.t", IsTimestamp: true }, { t: "2023-02-30T00:00:00Z" }, false],
];

describe("JSONPath Choice rules (AWS-recorded)", () => {
    for (const [file, operator, cases, outcomes, literal] of recorded)
        it(`rec: ${file} ${operator} (${cases.length} cases)`, () => {
            assert.equal(cases.length, outcomes.length);
            const got = cases.map(([v, w]) =>
                matchesRule({ Variable: "$.Variable", [operator]: literal ? w : "$.Value", Next: "ConditionTrue" }, scope({ Variable: v, Value: w }))
                    ? "T"
                    : "F",
            );
            assert.equal(got.join(""), outcomes);
        });
});

describe("JSONPath Choice rules (AWS-documented)", () => {
    for (const [source, rule, input, expected] of documented)
        it(`${source}: ${JSON.stringify(rule)}`, () => assert.equal(matchesRule(rule, scope(input, { limit: 6 })), expected));

    it("doc: a Variable that matches nothing fails the execution with States.Runtime (only IsPresent tests for it)", () => {
        const rules: Record<string, unknown>[] = [
            { Variable: "$.missing", StringEquals: "x" },
            { Variable: "$.missing", IsNull: false },
            { Variable: "$.missing", NumericEqualsPath: "$.n" },
            { Variable: "$.n", NumericEqualsPath: "$.missing" },
            { Not: { Variable: "$.missing", IsString: true } },
        ];
        for (const rule of rules)
            assert.throws(
                () => matchesRule(rule, scope({ n: 1 })),
                (e: unknown) => e instanceof EngineError && e.name === "States.Runtime",
                JSON.stringify(rule),
            );
    });

    it("UNKNOWN: malformed rules (AWS refuses them at CreateStateMachine) fail with States.Runtime", () => {
        const bad: Record<string, unknown>[] = [
            { Variable: "$.a", NumericEquals: "1" },
            { Variable: "$.a", StringEquals: "x", NumericEquals: 1 },
            { Variable: "$.a", StringContains: "x" },
            { Variable: "$.a", StringMatches: "a\\b" },
            { And: [] },
        ];
        for (const rule of bad)
            assert.throws(
                () => matchesRule(rule, scope({ a: "abc" })),
                (e: unknown) => e instanceof EngineError && e.name === "States.Runtime",
                JSON.stringify(rule),
            );
    });
});
