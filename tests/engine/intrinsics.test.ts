// Intrinsic functions, row by row against what AWS recorded or documents. "rec:" rows are executions
// LocalStack recorded on AWS (tests/aws/services/stepfunctions/v2/intrinsic_functions/<file>, test name);
// "doc:" rows are examples on AWS's "Intrinsic functions for JSONPath states" page (docs/aws-facts.md §10.1).
import * as assert from "node:assert/strict";
import { evaluateIntrinsic, isIntrinsic } from "../../tools/engine/intrinsics";
import { EngineError, type PathScope } from "../../tools/engine/scope";

const scope = (input: unknown, variables: Record<string, unknown> = {}, context: unknown = {}): PathScope => ({ input, context, variables });
const run = (expression: string, input: unknown = {}, variables?: Record<string, unknown>, context?: unknown) =>
    evaluateIntrinsic(expression, scope(input, variables, context));

/** [source, expression, input, expected]; compared as JSON values (so -0 is 0, and key order is not compared), as AWS's output is JSON. */
const rows: [string, string, unknown, unknown][] = [
    ["rec: test_array test_array_0", "States.Array()", {}, []],
    ["rec: test_array test_array_2", "States.Array($.fst, $.snd)", { fst: { Arg1: 1, Arg2: [] }, snd: null }, [{ Arg1: 1, Arg2: [] }, null]],
    ["rec: test_array test_array_partition", "States.ArrayPartition($.fst, $.snd)", { fst: [0, 1, 2, 3], snd: 3 }, [[0, 1, 2], [3]]],
    ["rec: test_array test_array_partition", "States.ArrayPartition($.fst, $.snd)", { fst: [], snd: 1 }, []],
    ["doc: States.ArrayPartition", "States.ArrayPartition($.a, 4)", { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, [[1, 2, 3, 4], [5, 6, 7, 8], [9]]],
    ["rec: test_array test_array_contains", "States.ArrayContains($.fst, $.snd)", { fst: [[1, 2, 3], 2], snd: [1, 2, 3] }, true],
    ["rec: test_array test_array_contains", "States.ArrayContains($.fst, $.snd)", { fst: [{ 1: 2, 2: [] }], snd: { 2: [], 1: 2 } }, true],
    ["rec: test_array test_array_contains", "States.ArrayContains($.fst, $.snd)", { fst: [], snd: null }, false],
    ["rec: test_array test_array_contains", "States.ArrayContains($.fst, $.snd)", { fst: [true, false], snd: false }, true],
    ["rec: test_array test_array_range", "States.ArrayRange($.a, $.b, $.c)", { a: 0, b: 10, c: 3 }, [0, 3, 6, 9]],
    ["rec: test_array test_array_range", "States.ArrayRange($.a, $.b, $.c)", { a: 1, b: 9, c: 9 }, [1]],
    ["rec: test_array test_array_range", "States.ArrayRange($.a, $.b, $.c)", { a: 1, b: 9, c: 2 }, [1, 3, 5, 7, 9]],
    ["rec: test_array test_array_get_item", "States.ArrayGetItem($.fst, $.snd)", { fst: [1, 2, 3, 4, 5, 6, 7, 8, 9], snd: 5 }, 6],
    ["rec: test_array test_array_length", "States.ArrayLength($)", [1, 2, 3, 4, 5, 6, 7, 8, 9], 9],
    ["rec: test_assign_reference_variables BASE_ASSIGN_FROM_INTRINSIC_FUNCTION", "States.ArrayUnique($.a)", { a: [1, 2, 2, 3, 3, 4] }, [1, 2, 3, 4]],
    ["doc: States.ArrayUnique", "States.ArrayUnique($.a)", { a: [1, 2, 3, 3, 3, 3, 3, 3, 4] }, [1, 2, 3, 4]],
    ["rec: test_encode_decode test_base_64_encode", "States.Base64Encode($.s)", { s: "Data to encode" }, "RGF0YSB0byBlbmNvZGU="],
    ["rec: test_encode_decode test_base_64_encode", "States.Base64Encode($.s)", { s: "" }, ""],
    ["rec: test_encode_decode test_base_64_decode", "States.Base64Decode($.s)", { s: "RGF0YSB0byBlbmNvZGU=" }, "Data to encode"],
    ["rec: test_hash_calculations test_hash MD5", "States.Hash($.d, 'MD5')", { d: "input data" }, "812f45842bc6d66ee14572ce20db8e86"],
    ["rec: test_hash_calculations test_hash SHA-1", "States.Hash($.d, 'SHA-1')", { d: "input data" }, "aaff4a450a104cd177d28d18d74485e8cae074b7"],
    [
        "rec: test_hash_calculations test_hash SHA-256",
        "States.Hash($.d, $.a)",
        { d: "input data", a: "SHA-256" },
        "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3",
    ],
    [
        "rec: test_hash_calculations test_hash SHA-384",
        "States.Hash($.d, 'SHA-384')",
        { d: "input data" },
        "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
    ],
    [
        "rec: test_hash_calculations test_hash SHA-512",
        "States.Hash($.d, 'SHA-512')",
        { d: "input data" },
        "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
    ],
    ["rec: test_json_manipulation test_string_to_json", "States.StringToJson($.s)", { s: "" }, null],
    ["rec: test_json_manipulation test_string_to_json", "States.StringToJson($.s)", { s: " " }, null],
    ["rec: test_json_manipulation test_string_to_json", "States.StringToJson($.s)", { s: "-0" }, 0],
    ["rec: test_json_manipulation test_string_to_json", "States.StringToJson($.s)", { s: '{"Arg1": 1, "Arg2": []}' }, { Arg1: 1, Arg2: [] }],
    ["rec: test_json_manipulation test_json_to_string", "States.JsonToString($.v)", { v: { Arg1: 1, Arg2: [] } }, '{"Arg1":1,"Arg2":[]}'],
    ["rec: test_json_manipulation test_json_to_string", "States.JsonToString($.v)", { v: "HelloWorld" }, '"HelloWorld"'],
    [
        "rec: test_json_manipulation test_json_merge",
        "States.JsonMerge($.a, $.b, false)",
        { a: { a: { a1: 1, a2: 2 }, b: 2, d: 3 }, b: { a: { a3: 1, a4: 2 }, c: 3, d: 4 } },
        { a: { a3: 1, a4: 2 }, b: 2, c: 3, d: 4 },
    ],
    [
        "rec: test_json_manipulation test_json_merge_escaped_argument",
        'States.JsonMerge(States.StringToJson(\'{"constant_in_literal": "false"}\'), $$.Execution.Input.input_field, false)',
        {},
        { constant_in_literal: "false", constant_input_field: "constant_value" },
    ],
    ["rec: test_math_operations test_math_add", "States.MathAdd($.a, $.b)", { a: -9, b: 3 }, -6],
    ["rec: test_math_operations test_math_add", "States.MathAdd($.a, $.b)", { a: 1.49, b: 1.5 }, 3],
    ["rec: test_math_operations test_math_add", "States.MathAdd($.a, $.b)", { a: -1.5, b: -1.51 }, -3],
    ["rec: test_math_operations test_math_add", "States.MathAdd($.a, $.b)", { a: -0.5, b: 0.5 }, 1],
    ["rec: test_math_operations test_math_add", "States.MathAdd($.a, $.b)", { a: -0.5, b: 0 }, 0],
    ["rec: test_math_operations test_math_add", "States.MathAdd($.a, $.b)", { a: -2.5, b: 0 }, -2],
    ["rec: test_string_operations test_string_split", "States.StringSplit($.s, $.d)", { s: ", , ,", d: "," }, [" ", " "]],
    ["rec: test_string_operations test_string_split", "States.StringSplit($.s, $.d)", { s: ",,,,", d: "," }, []],
    [
        "rec: test_string_operations test_string_split",
        "States.StringSplit($.s, $.d)",
        { s: "This.is+a,test=string", d: ".+,=" },
        ["This", "is", "a", "test", "string"],
    ],
    [
        "rec: test_string_operations test_string_split",
        "States.StringSplit($.s, $.d)",
        { s: "split on T and \nnew line", d: "T\n" },
        ["split on ", " and ", "new line"],
    ],
    ["rec: test_generic test_escape_sequence", "States.StringSplit('Hello\nWorld', '\n')", {}, ["Hello", "World"]],
    ["rec: test_generic test_format_1", "States.Format('Formatting argument {}.', $.v)", { v: null }, "Formatting argument null."],
    ["rec: test_generic test_format_1", "States.Format('Formatting argument {}.', $.v)", { v: 1.1 }, "Formatting argument 1.1."],
    [
        "rec: test_generic test_format_2",
        "States.Format('Formatting arguments fst={} and snd={}.', $.f, $.s)",
        { f: { Arg1: 1, Arg2: [] }, s: "" },
        "Formatting arguments fst={Arg1=1, Arg2=[]} and snd=.",
    ],
    [
        "rec: test_generic test_context_json_path",
        "States.Format('snd={}.', $$.StateMachine)",
        {},
        "snd={Id=arn:aws:states:us-east-1:111111111111:stateMachine:m, Name=m}.",
    ],
    [
        "rec: test_generic test_nested_calls_2",
        "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))",
        {},
        "m",
    ],
    [
        "rec: test_assign_reference_variables BASE_REFERENCE_IN_INTRINSIC_FUNCTION",
        "States.Format('Hello {}, welcome to {}!', $name, $place)",
        {},
        "Hello John, welcome to LocalStack!",
    ],
    ["doc: escapes in string literals", "States.Format('\\{\\} {} \\'q\\' \\\\', $.v)", { v: 1 }, "{} 1 'q' \\"],
    ["doc: path args with bracket notation", "States.Array($.abc['def, ghi'])", { abc: { "def, ghi": 1 } }, [1]],
    ["doc: literals", "States.Array('a', 1, -2.5, true, false, null)", {}, ["a", 1, -2.5, true, false, null]],
];

const context = {
    StateMachine: { Id: "arn:aws:states:us-east-1:111111111111:stateMachine:m", Name: "m" },
    Execution: { Input: { input_field: { constant_input_field: "constant_value" } } },
};

/** [source, expression, input, cause fragment]: argument errors are States.IntrinsicFailure (docs/aws-facts.md §10.1). */
const failures: [string, string, unknown, RegExp][] = [
    ["doc: JsonMerge deep mode is refused", "States.JsonMerge($.a, $.a, true)", { a: {} }, /shallow/],
    ["doc: ArrayRange at most 1,000 items", "States.ArrayRange(1, 1001, 1)", {}, /more than 1000/],
    ["doc: ArrayRange step must not be 0", "States.ArrayRange(1, 5, 0)", {}, /step must not be 0/],
    ["doc: Base64Encode input at most 10,000 characters", "States.Base64Encode($.s)", { s: "x".repeat(10_001) }, /longer than 10000/],
    ["doc: Base64Decode input at most 10,000 characters", "States.Base64Decode($.s)", { s: "QUFB".repeat(2_501) }, /longer than 10000/],
    ["doc: Hash data at most 10,000 characters", "States.Hash($.s, 'MD5')", { s: "x".repeat(10_001) }, /longer than 10000/],
    ["doc: Hash algorithms", "States.Hash('x', 'SHA-224')", {}, /algorithm must be one of/],
    ["doc: Format needs one value per {}", "States.Format('{} {}', 1)", {}, /2 placeholder\(s\) for 1 value/],
    ["doc: MathAdd integers in the int32 range", "States.MathAdd(2147483648, 1)", {}, /between -2147483648 and 2147483647/],
    ["doc: ArrayPartition chunk size positive", "States.ArrayPartition($.a, 0)", { a: [1] }, /positive/],
    ["doc: ArrayGetItem index in bounds", "States.ArrayGetItem($.a, 3)", { a: [1] }, /out of bounds/],
    ["doc: argument count", "States.ArrayLength($.a, $.a)", { a: [] }, /expected 1 argument, got 2/],
    ["doc: argument type", "States.ArrayLength($.a)", { a: "x" }, /argument 1 must be a array, got string/],
    ["doc: up to 10 nested intrinsics", `${"States.Array(".repeat(11)}${")".repeat(11)}`, {}, /more than 10 nested/],
    ["doc: a dangling backslash is an error", "States.Format('a\\')", {}, /unterminated|invalid escape/],
    ["doc: unknown function", "States.Nope()", {}, /does not exist/],
    ["UNKNOWN: invalid Base64 refused", "States.Base64Decode('***')", {}, /not Base64/],
];

describe("intrinsic functions (AWS-recorded and documented)", () => {
    for (const [source, expression, input, expected] of rows)
        it(`${source}: ${expression}`, () => {
            const result = run(expression, input, { name: "John", place: "LocalStack" }, context);
            assert.deepEqual(JSON.parse(JSON.stringify(result)), expected);
        });

    for (const [source, expression, input, cause] of failures)
        it(`${source}: ${expression.slice(0, 60)} fails with States.IntrinsicFailure`, () => {
            assert.throws(
                () => run(expression, input),
                (e: unknown) => e instanceof EngineError && e.name === "States.IntrinsicFailure" && cause.test(e.message),
            );
        });

    it("rec: test_math_operations test_math_random(_seeded): in [start, end), and the same seed gives the same number", () => {
        for (const [a, b] of [
            [12.5, 44.51],
            [9999, 99999],
            [-99999, -9999],
        ]) {
            const n = run("States.MathRandom($.a, $.b)", { a, b }) as number;
            assert.ok(Number.isInteger(n) && n >= Math.round(a) && n < Math.round(b), `${n} not in [${a}, ${b})`);
        }
        const seeded = [1, 2].map(() => run("States.MathRandom(0, 999, 3)"));
        assert.equal(seeded[0], seeded[1]);
    });

    it("rec: test_unique_id_generation test_uuid: a version 4 UUID", () => {
        assert.match(run("States.UUID()") as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it("a path argument that matches nothing is States.Runtime (the path reader's error)", () => {
        assert.throws(
            () => run("States.Array($.missing)", {}),
            (e: unknown) => e instanceof EngineError && e.name === "States.Runtime",
        );
    });

    it("isIntrinsic tells a call from a path", () => {
        assert.deepEqual(["States.Array()", "States.Format('{}', $.a)", "$.States", "States.Array", "$$.Execution.Id"].map(isIntrinsic), [
            true,
            true,
            false,
            false,
            false,
        ]);
    });
});
