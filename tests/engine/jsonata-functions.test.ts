// Step Functions' JSONata additions. "rec:" rows are executions LocalStack recorded on AWS
// (tests/aws/services/stepfunctions/v2/intrinsic_functions/<file>, test name; the output there is the
// state's JSON output); "doc:" rows are from AWS's "Transforming data with JSONata in Step Functions".
import * as assert from "node:assert/strict";
import jsonata from "jsonata";
import { registerStepFunctionsFunctions } from "../../tools/engine/jsonata-functions";

async function run(source: string, input: unknown = {}): Promise<unknown> {
    const expression = jsonata(source);
    registerStepFunctionsFunctions(expression);
    return expression.evaluate({}, { states: { input } });
}

/** [source, expression, input, expected JSON output]. */
const rows: [string, string, unknown, string][] = [
    ["rec: test_array_jsonata test_array_partition", "$partition($states.input.fst, $states.input.snd)", { fst: [0], snd: 1 }, "[[0]]"],
    ["rec: test_array_jsonata test_array_partition", "$partition($states.input.fst, $states.input.snd)", { fst: [0, 1], snd: 5 }, "[[0,1]]"],
    ["rec: test_array_jsonata test_array_partition", "$partition($states.input.fst, $states.input.snd)", { fst: [0, 1, 2, 3], snd: 3 }, "[[0,1,2],[3]]"],
    ["rec: test_array_jsonata test_array_partition", "$partition($states.input.fst, $states.input.snd)", { fst: [0, 1, 2, 3], snd: 1 }, "[[0],[1],[2],[3]]"],
    ["rec: test_array_jsonata test_array_range", "$range($states.input.a, $states.input.b, $states.input.c)", { a: 0, b: 9, c: 3 }, "[0,3,6,9]"],
    ["rec: test_array_jsonata test_array_range", "$range($states.input.a, $states.input.b, $states.input.c)", { a: 0, b: 10, c: 3 }, "[0,3,6,9]"],
    ["rec: test_array_jsonata test_array_range", "$range($states.input.a, $states.input.b, $states.input.c)", { a: 1, b: 9, c: 9 }, "1"],
    ["rec: test_array_jsonata test_array_range", "$range($states.input.a, $states.input.b, $states.input.c)", { a: 1, b: 9, c: 2 }, "[1,3,5,7,9]"],
    ["doc: $range", "$range(0, 10, 2)", {}, "[0,2,4,6,8,10]"],
    ["rec: test_json_manipulation_jsonata test_parse", "$parse($states.input)", "-0", "0"],
    ["rec: test_json_manipulation_jsonata test_parse", "$parse($states.input)", "1.1", "1.1"],
    ["rec: test_json_manipulation_jsonata test_parse", "$parse($states.input)", "true", "true"],
    ["rec: test_json_manipulation_jsonata test_parse", "$parse($states.input)", '"HelloWorld"', '"HelloWorld"'],
    ["rec: test_json_manipulation_jsonata test_parse", "$parse($states.input)", '[1, 2, "HelloWorld"]', '[1,2,"HelloWorld"]'],
    ["rec: test_json_manipulation_jsonata test_parse", "$parse($states.input)", '{"Arg1": 1, "Arg2": []}', '{"Arg1":1,"Arg2":[]}'],
    [
        "doc: $hash (States.Hash's recorded digest, rec: test_hash_calculations test_hash)",
        "$hash('input data', 'SHA-256')",
        {},
        '"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"',
    ],
    ["doc: $hash MD5", "$hash('input data', 'MD5')", {}, '"812f45842bc6d66ee14572ce20db8e86"'],
    [
        "doc: JSONata 2.0.6 built-in $base64encode (rec: test_encode_decode test_base_64_encode)",
        "$base64encode('Data to encode')",
        {},
        '"RGF0YSB0byBlbmNvZGU="',
    ],
    ["doc: JSONata 2.0.6 built-in $base64decode", "$base64decode('RGF0YSB0byBlbmNvZGU=')", {}, '"Data to encode"'],
];

/** [source, expression, JSONata error code or message fragment]. */
const failures: [string, string, RegExp][] = [
    ["rec: test_math_operations_jsonata test_math_random_seeded ($randomSeeded is not a function)", "$randomSeeded(1)", /T1006/],
    ["doc: $eval is not available", "$eval('1')", /T1006/],
    ["doc: $hash algorithms", "$hash('x', 'SHA-224')", /algorithm must be one of/],
    ["JSONata signature: $hash takes strings", "$hash(1, 'MD5')", /T0410/],
    ["doc: $partition chunk size positive", "$partition([1], 0)", /positive integer/],
    ["JSONata signature: $range takes three numbers", "$range(1, 2)", /T0410/],
    ["doc: $range step must not be 0", "$range(1, 2, 0)", /must not be 0/],
    ["UNKNOWN: $range limited like States.ArrayRange", "$range(1, 1001, 1)", /more than 1000/],
    ["doc: $parse of invalid JSON fails", "$parse('{')", /not valid JSON/],
];

describe("Step Functions JSONata functions", () => {
    for (const [source, expression, input, expected] of rows)
        it(`${source}: ${expression}`, async () => {
            assert.equal(JSON.stringify(await run(expression, input)), expected);
        });

    for (const [source, expression, error] of failures)
        it(`${source}: ${expression} fails`, async () => {
            await assert.rejects(run(expression), (e: { code?: string; message?: string }) => error.test(`${e.code ?? ""}: ${e.message ?? ""}`));
        });

    it("doc: $random() is in [0, 1) and $random(seed) is the same for the same seed", async () => {
        const n = (await run("$random()")) as number;
        assert.ok(n >= 0 && n < 1);
        const [a, b, c] = await Promise.all([run("$random(7)"), run("$random(7)"), run("$random(8)")]);
        assert.equal(a, b);
        assert.notEqual(a, c);
        assert.ok((a as number) >= 0 && (a as number) < 1);
    });

    it("doc: $uuid() is a version 4 UUID", async () => {
        assert.match((await run("$uuid()")) as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });
});
