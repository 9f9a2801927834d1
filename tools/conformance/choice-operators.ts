/**
 * The choice operator tests record no history, only `cases`: each execution's input and output
 * (every one succeeded; the helper awaits success). Their definition is one template with the
 * operator name substituted and, unless the test passes `add_literal_value=False`, `"$.Value"`
 * replaced by the JSON of the compared value, as `choice_operators/utils.py` does. The states
 * entered follow from the output: the template's two Pass states write their own name.
 */
import { CheckoutReader } from "./checkout";
import { ConformanceCase, SkippedCase } from "./cases";
import { SFN_TEMPLATES } from "./families";
import { PyTest } from "./python";

const TEMPLATE = `${SFN_TEMPLATES}/choiceoperators/statemachines/template.json5`;
/** What LocalStack's timestamp transformer writes in place of every timestamp of a recorded input. */
const DATE = "date";

/**
 * The comparisons a timestamp test passes, rebuilt from its module (`T0`/`T1`, `TYPE_COMPARISONS_VARS`,
 * `BASE_COMPARISONS`), because the snapshot recorded its timestamps as "date". Kept by hand: the
 * three `comparisons=` forms test_timestamp_operators.py uses; undefined for any other.
 */
export function timestampComparisons(module: string, body: string): [unknown, unknown][] | undefined {
    const constants = new Map([...module.matchAll(/^(T\d+): Final\[str\] = "([^"]+)"/gm)].map((m) => [m[1], m[2]]));
    const value = (name: string) => constants.get(name.trim());
    const pairs = (text: string) => [...text.matchAll(/\((T\d+),\s*(T\d+)\)/g)].map((m) => [value(m[1]), value(m[2])] as [unknown, unknown]);
    const base = pairs(/^BASE_COMPARISONS[^=]*=\s*\[([^\]]*)\]/m.exec(module)?.[1] ?? "");
    const vars = /^TYPE_COMPARISONS_VARS[^=]*=\s*(\[[\s\S]*?\n\])/m.exec(module)?.[1];
    const form = /comparisons=([^\n]+?),?\n/.exec(body)?.[1].trim();
    if (form === "BASE_COMPARISONS") return base;
    if (form === "[*type_equals, *BASE_COMPARISONS]" && vars) {
        const list = JSON.parse(
            vars
                .replace(/\bNone\b/g, "null")
                .replace(/\bTrue\b/g, "true")
                .replace(/\bFalse\b/g, "false")
                .replace(/,(\s*\])/, "$1"),
        ) as unknown[];
        return [...list.map((v) => [v, value("T0")] as [unknown, unknown]), ...base];
    }
    if (form && /^\[\(T\d+, T\d+\)\]$/.test(form)) return pairs(form);
    return undefined;
}

/** The recorded input with its "date" values put back from `pair`; undefined when the recording and the pair disagree elsewhere. */
function restoreDates(input: Record<string, unknown>, pair: [unknown, unknown] | undefined): Record<string, unknown> | undefined {
    if (!pair) return undefined;
    const restored = { ...input, Variable: input.Variable === DATE ? pair[0] : input.Variable, Value: input.Value === DATE ? pair[1] : input.Value };
    // 0.0 and 0 are the same JSON number; anything else must match what the test passes.
    return JSON.stringify([restored.Variable, restored.Value]) === JSON.stringify(pair) ? restored : undefined;
}

/** The cases of one choice operator snapshot entry. */
export function choiceOperatorCases(
    reader: CheckoutReader,
    parse: (text: string) => unknown,
    key: string,
    test: PyTest,
    recordedDate: string,
    recorded: { input: Record<string, unknown>; output: unknown }[],
    module = "",
): (ConformanceCase | SkippedCase)[] {
    const operator = /create_and_test_comparison_function\([^)]*?"(\w+)",/.exec(test.body)?.[1];
    if (!operator) return [{ id: key, reason: "no comparison operator name found in the test" }];
    const literal = !/add_literal_value\s*=\s*False/.test(test.body);
    const text = JSON.stringify(parse(reader.read(TEMPLATE))).replace("%ComparisonOperatorType%", operator);
    const timestamps = operator.startsWith("Timestamp") ? timestampComparisons(module, test.body) : undefined;
    return recorded.map(({ input: recordedInput, output }, i): ConformanceCase | SkippedCase => {
        const input = operator.startsWith("Timestamp") ? restoreDates(recordedInput, timestamps?.[i]) : recordedInput;
        if (!input)
            return { id: `${key}#cases[${i}]`, reason: 'the recorded timestamps were rewritten to "date" and the test\'s comparisons could not be read back' };
        const definition = JSON.parse(literal ? text.replace('"$.Value"', JSON.stringify(input.Value)) : text) as Record<string, unknown>;
        const chosen = (output as { "TestResult.$"?: string })?.["TestResult.$"];
        return {
            id: `${key}#cases[${i}]`,
            recordedDate,
            template: TEMPLATE,
            definition,
            input,
            expected: { status: "SUCCEEDED", output, states: ["CheckValues", String(chosen)], nested: [], threads: [] },
            transformed: [],
        };
    });
}
