/**
 * Typed JSONPath payload values: a literal, a path into the state input, or a `States.Format`
 * intrinsic. `renderPayload` turns them into ASL payload templates, adding the `.$` key suffix
 * where a value is dynamic, so no caller ever hand-writes a `.$` key.
 */
import { Json, PayloadTemplate } from "./types";

/** A reference to a JSONPath (`$.orderId`) or context path (`$$.Execution.Id`). */
export interface PathValue {
    readonly kind: "path";
    readonly path: string;
}

/** A `States.Format(template, ...args)` intrinsic. */
export interface FormatValue {
    readonly kind: "format";
    readonly template: string;
    readonly args: readonly PathValue[];
}

/** A dynamic value, resolved by Step Functions at run time. */
export type DynamicValue = PathValue | FormatValue;

/** A payload value: literal JSON, a dynamic value, or an object of payload values. */
export type PayloadValue = Json | DynamicValue | { readonly [key: string]: PayloadValue };

/** A payload object (headers, query parameters, request body, result selector). */
export type Payload = { readonly [key: string]: PayloadValue };

/** `$.a.b`: a JSONPath into the state input (or `$$.` for the context object). */
export function path(jsonPath: string): PathValue {
    if (!jsonPath.startsWith("$")) {
        throw new Error(`JSONPath \`${jsonPath}\` must start with \`$\`.`);
    }
    return { kind: "path", path: jsonPath };
}

/**
 * `States.Format(template, ...args)`. The template is plain text with `{}` placeholders; it is
 * escaped for the intrinsic grammar here (docs/aws-facts.md §10.1), so callers write it as-is.
 */
export function format(template: string, ...args: PathValue[]): FormatValue {
    const placeholders = template.split("{}").length - 1;
    if (placeholders !== args.length) {
        throw new Error(`\`States.Format\` template \`${template}\` has ${placeholders} \`{}\` but ${args.length} arguments.`);
    }
    return { kind: "format", template, args };
}

/** True for values made by `path()` or `format()`. */
export function isDynamic(value: unknown): value is DynamicValue {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const kind = (value as { kind?: unknown }).kind;
    return kind === "path" || kind === "format";
}

/**
 * Escapes literal text for a single-quoted intrinsic string argument: `'`, `{`, `}` and `\` take a
 * backslash (docs/aws-facts.md §10.1). `{}` placeholders are kept.
 */
export function escapeIntrinsicTemplate(template: string): string {
    return template
        .split("{}")
        .map((part) => part.replace(/[\\'{}]/g, (c) => `\\${c}`))
        .join("{}");
}

/** Inverse of `escapeIntrinsicTemplate` for text that holds no placeholder. */
export function unescapeIntrinsicText(text: string): string {
    return text.replace(/\\(.)/g, "$1");
}

/** Renders a dynamic value as the string Step Functions evaluates. */
export function renderDynamic(value: DynamicValue): string {
    if (value.kind === "path") return value.path;
    const args = value.args.map((a) => a.path);
    return `States.Format(${["'" + escapeIntrinsicTemplate(value.template) + "'", ...args].join(", ")})`;
}

/** Renders a payload object into an ASL payload template (`key.$` for dynamic values). */
export function renderPayload(payload: Payload): PayloadTemplate {
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(payload)) {
        if (isDynamic(value)) {
            out[`${key}.$`] = renderDynamic(value);
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            out[key] = renderPayload(value as Payload);
        } else {
            out[key] = value as Json;
        }
    }
    return out;
}
