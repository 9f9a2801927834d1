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

/** The cases of one choice operator snapshot entry. */
export function choiceOperatorCases(
    reader: CheckoutReader,
    parse: (text: string) => unknown,
    key: string,
    test: PyTest,
    recordedDate: string,
    recorded: { input: Record<string, unknown>; output: unknown }[],
): (ConformanceCase | SkippedCase)[] {
    const operator = /create_and_test_comparison_function\([^)]*?"(\w+)",/.exec(test.body)?.[1];
    if (!operator) return [{ id: key, reason: "no comparison operator name found in the test" }];
    const literal = !/add_literal_value\s*=\s*False/.test(test.body);
    const text = JSON.stringify(parse(reader.read(TEMPLATE))).replace("%ComparisonOperatorType%", operator);
    return recorded.map(({ input, output }, i) => {
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
