/**
 * Template-class constants the LocalStack tests patch into their templates, kept by hand because
 * the import reads Python without running it (raw strings, `r'...\$'`, would need a Python
 * tokenizer). Keyed `Class.NAME` as the test file's imports resolve them; `import.ts` checks that
 * each value still appears in its `*_templates.py`, so a changed constant fails the import.
 */
import { isDeepStrictEqual } from "node:util";
import { parseJson5 } from "./json5";
import { pythonLiteral } from "./python";

/** The file each class lives in, relative to the templates folder. */
export const CONSTANT_FILES: Readonly<Record<string, string>> = {
    EvaluateJsonataTemplate: "evaluatejsonata/evaluate_jsonata_templates.py",
    QueryLanguageTemplate: "querylanguage/query_language_templates.py",
};

/** `Class.NAME` → the value (evaluate_jsonata_templates.py at the vendored commit). */
export const TEMPLATE_CONSTANTS: Readonly<Record<string, unknown>> = {
    "EvaluateJsonataTemplate.JSONATA_NUMBER_EXPRESSION": "{% $variable := 1 %}",
    "EvaluateJsonataTemplate.JSONATA_ARRAY_ELEMENT_EXPRESSION_DOUBLE_QUOTES": [1, "{% $number('2') %}", 3],
    "EvaluateJsonataTemplate.JSONATA_ARRAY_ELEMENT_EXPRESSION": [1, '{% $number("2") %}', 3],
    "EvaluateJsonataTemplate.JSONATA_STATE_INPUT_EXPRESSION": "{% $states.input.input_value %}",
    "EvaluateJsonataTemplate.JSONATA_REGEX_EXPRESSION_BASE": '{% $contains("hello$world", /^hello\\$/) %}',
    "EvaluateJsonataTemplate.JSONATA_REGEX_EXPRESSION_BASE_FALSE": '{% $contains("hello$world", /^hello\\ /) %}',
    "EvaluateJsonataTemplate.JSONATA_REGEX_EXPRESSION_BASE_SINGLE_QUOTE": "{% $contains('hello$world', /^hello\\$/) %}",
    "EvaluateJsonataTemplate.JSONATA_REGEX_EXPRESSION_BASE_SINGLE_QUOTE_FALSE": "{% $contains('hello$world', /^hello\\ /) %}",
};

/**
 * Placeholders tests replace in the definition text (`definition.replace(Class.NAME, ...)`): where the
 * template does not contain one, the replacement changes nothing and the case can be vendored.
 */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
    "QueryLanguageTemplate.LAMBDA_FUNCTION_ARN_LITERAL_PLACEHOLDER": "%LAMBDA_FUNCTION_ARN_LITERAL_PLACEHOLDER%",
};

/** The constants whose value is no longer what their class's file says (empty when the table is current). */
export function staleConstants(read: (file: string) => string, templatesDir: string): string[] {
    return Object.entries({ ...TEMPLATE_CONSTANTS, ...PLACEHOLDERS })
        .filter(([key, value]) => {
            const [cls, name] = key.split(".");
            const line = new RegExp(`^\\s+${name}\\s*=\\s*(.+)$`, "m").exec(read(`${templatesDir}/${CONSTANT_FILES[cls]}`))?.[1] ?? "";
            // A (raw) string constant holds its value verbatim between its quotes; a list is read as a Python literal.
            if (typeof value === "string") return !line.includes(value);
            const parsed = pythonLiteral(line, parseJson5);
            return !parsed || !isDeepStrictEqual(parsed.value, value);
        })
        .map(([key]) => key);
}

/**
 * Definitions a test builds in its own body (Python expressions the import does not evaluate), by
 * test id, written out by hand from the test's code.
 */
export const INLINE_DEFINITIONS: Readonly<Record<string, () => Record<string, unknown>>> = {
    // test_states_errors.py::test_start_large_input: a Pass `Result` of "a" * (257 * 1024 // 1) characters.
    "error_handling/test_states_errors.py::TestStatesErrors::test_start_large_input": () => ({
        StartAt: "State_1",
        States: { State_1: { Type: "Pass", Result: { Arg1: "a".repeat(257 * 1024) }, End: true } },
    }),
};
