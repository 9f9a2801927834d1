/**
 * API base URLs and the `ApiEndpoint` of an HTTP Task: validation, joining a base URL with a path,
 * and reading an endpoint back out of a finished definition (for the IAM policy).
 */
import { escapeIntrinsicTemplate, unescapeIntrinsicText } from "./payload";

/** The problem `baseUrlProblems` names for a URL that is not `https://`. */
export const NOT_HTTPS = "must use `https://`";

/**
 * Problems with a base URL, as sentences; empty when it is usable. Step Functions calls HTTPS APIs
 * only (docs/aws-facts.md §1.3), and the query string belongs in `QueryParameters`, so a base URL
 * carries neither a query nor a fragment.
 */
export function baseUrlProblems(url: string): string[] {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return ["is not a valid absolute URL"];
    }
    const problems: string[] = [];
    if (parsed.protocol !== "https:") problems.push(NOT_HTTPS);
    if (parsed.search !== "" || url.includes("?")) problems.push("must not contain a query string (use `QueryParameters`)");
    if (parsed.hash !== "" || url.includes("#")) problems.push("must not contain a fragment");
    if (parsed.username !== "" || parsed.password !== "") problems.push("must not contain credentials (use an EventBridge connection)");
    return problems;
}

/** Throws when `url` is not a usable API base URL. */
export function assertBaseUrl(url: string): void {
    const problems = baseUrlProblems(url);
    if (problems.length > 0) throw new Error(`API base URL \`${url}\` ${problems.join(" and ")}.`);
}

/** Joins a base URL and a path with exactly one `/` between them. */
export function joinUrl(baseUrl: string, urlPath: string): string {
    if (urlPath === "") return baseUrl;
    return `${baseUrl.replace(/\/+$/, "")}/${urlPath.replace(/^\/+/, "")}`;
}

/** A `States.Format` template for a dynamic endpoint: the base URL is escaped literal text. */
export function dynamicEndpointTemplate(baseUrl: string, pathTemplate: string): string {
    return escapeIntrinsicTemplate(joinUrl(baseUrl, pathTemplate));
}

/**
 * How an HTTP Task's endpoint can be matched in IAM: `exact` for a static URL; `pattern` for a
 * `States.Format` endpoint, whose literal parts are kept and whose `{}` placeholders become `*`.
 */
export type EndpointMatch = { readonly kind: "exact"; readonly url: string } | { readonly kind: "pattern"; readonly parts: readonly string[] };

const FORMAT_CALL = /^States\.Format\(\s*'((?:[^'\\]|\\.)*)'\s*(?:,.*)?\)$/s;

/** The template of `States.Format('<template>', ...)`, still escaped for the intrinsic grammar; undefined for any other expression. */
export function formatTemplate(expression: string): string | undefined {
    return FORMAT_CALL.exec(expression.trim())?.[1];
}

/** The request fields of an HTTP Task: `Parameters` (JSONPath) or `Arguments` (JSONata), or nothing. */
export function requestFieldsOf(state: { readonly Parameters?: unknown; readonly Arguments?: unknown }): Record<string, unknown> | undefined {
    const fields = state.Parameters ?? state.Arguments;
    return typeof fields === "object" && fields !== null && !Array.isArray(fields) ? (fields as Record<string, unknown>) : undefined;
}

/** The expression inside a JSONata field `{% … %}`; undefined for any other value. */
export function jsonataExpression(value: unknown): string | undefined {
    return typeof value === "string" ? /^\{%([\s\S]*)%\}$/.exec(value)?.[1].trim() : undefined;
}

/** A JSONata string literal (`"…"` or `'…'`, JSON escapes) as its text; undefined when `text` is not exactly one. */
function jsonataStringLiteral(text: string): string | undefined {
    const m = /^(["'])((?:[^\\]|\\.)*?)\1$/s.exec(text);
    if (!m) return undefined;
    // As JSON: a single-quoted literal's `\'` is a plain `'`, and its bare `"` needs escaping.
    const json = m[1] === '"' ? m[2] : m[2].replace(/\\'/g, "'").replace(/(^|[^\\])((?:\\\\)*)"/g, '$1$2\\"');
    try {
        return JSON.parse(`"${json}"`) as string;
    } catch {
        return undefined;
    }
}

/** `expression` split at its top-level `&`s (outside strings and brackets); undefined when unbalanced. */
function concatOperands(expression: string): string[] | undefined {
    const operands: string[] = [];
    let depth = 0;
    let quote = "";
    let start = 0;
    for (let i = 0; i < expression.length; i++) {
        const c = expression[i];
        if (quote) {
            if (c === "\\") i++;
            else if (c === quote) quote = "";
        } else if (c === '"' || c === "'") quote = c;
        else if ("([{".includes(c)) depth++;
        else if (")]}".includes(c)) depth--;
        else if (c === "&" && depth === 0) {
            operands.push(expression.slice(start, i).trim());
            start = i + 1;
        }
        if (depth < 0) return undefined;
    }
    if (quote || depth !== 0) return undefined;
    return [...operands, expression.slice(start).trim()];
}

/**
 * A JSONata operand that cannot change what the others concatenate to: a path or call on a `$name`
 * (`$states.input.item`, `$string($x)`). Path steps and calls bind tighter than `&`, so the operand
 * only adds its own text; anything else at top level (`? :`, `~>`, `=`, `and`, a bare field name) is
 * refused, because it could apply to the whole concatenation.
 */
function isPlainOperand(operand: string): boolean {
    const stripped = operand.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
    let depth = 0;
    let top = "";
    for (const c of stripped) {
        if ("([".includes(c)) depth++;
        if (depth === 0) top += c;
        if (")]".includes(c)) depth--;
    }
    return /^\$[A-Za-z_][A-Za-z0-9_]*(?:(?:\.[A-Za-z_][A-Za-z0-9_]*)|\)|\])*$/.test(top);
}

/**
 * The literal parts of a JSONata endpoint `{% 'https://host/path/' & $x & '/more' %}`: the text of
 * each run of string literals, a placeholder between them for each other operand. Undefined when the
 * expression is not such a concatenation (then nothing of it is known).
 */
export function jsonataEndpointParts(expression: string): string[] | undefined {
    const operands = concatOperands(expression);
    if (!operands || operands.some((o) => o === "")) return undefined;
    const parts: string[] = [""];
    let literalLast = false;
    for (const operand of operands) {
        const text = jsonataStringLiteral(operand);
        if (text !== undefined) {
            parts[parts.length - 1] += text;
            literalLast = true;
        } else if (isPlainOperand(operand)) {
            if (!literalLast && parts.length > 1) continue; // two dynamic operands in a row are one `*`
            parts.push("");
            literalLast = false;
        } else return undefined;
    }
    return parts;
}

/**
 * The text an HTTP Task's endpoint is known to start with: the static `ApiEndpoint`, or the literal
 * text of a `States.Format` or JSONata endpoint before its first dynamic part; undefined when nothing
 * of it is literal.
 */
export function endpointHead(parameters: Record<string, unknown>): string | undefined {
    const expression = jsonataExpression(parameters["ApiEndpoint"]);
    if (expression !== undefined) return jsonataEndpointParts(expression)?.[0] || undefined;
    if (typeof parameters["ApiEndpoint"] === "string") return parameters["ApiEndpoint"];
    const dynamic = parameters["ApiEndpoint.$"];
    const template = typeof dynamic === "string" ? formatTemplate(dynamic) : undefined;
    return template === undefined ? undefined : unescapeIntrinsicText(template.split("{}")[0]);
}

/**
 * The IAM match for an HTTP Task's endpoint: `exact` for a static `ApiEndpoint` (JSONPath, or a
 * JSONata literal, or a JSONata expression of string literals only); for a `States.Format` endpoint
 * or a JSONata concatenation (`{% 'https://host/path/' & $states.input.id & '/capture' %}`), the
 * literal parts around its dynamic parts, so
 * `https://api.example.com/v1/payment_intents/{}/capture` is
 * granted as the StringLike pattern `https://api.example.com/v1/payment_intents/` + `*` + `/capture`, nothing else
 * under `payment_intents/`.
 * The text before the first dynamic part must hold the scheme, the whole host and a `/`: otherwise
 * `https://api.example.com{}` would also match `https://api.example.com.evil.tld`. Any other
 * dynamic endpoint throws rather than widening the permission to `*`.
 */
export function endpointMatch(parameters: Record<string, unknown>, stateName: string): EndpointMatch {
    const literal = parameters["ApiEndpoint"];
    const expression = jsonataExpression(literal);
    if (expression !== undefined) {
        const parts = jsonataEndpointParts(expression);
        const noBase = `State \`${stateName}\`: a JSONata \`ApiEndpoint\` must be a string literal or a concatenation that starts with a static https base URL (\`{% 'https://host/path/' & $states.input.id %}\`); got \`${String(literal)}\`.`;
        if (!parts) throw new Error(noBase);
        if (parts.length === 1) return { kind: "exact", url: parts[0] };
        if (!/^https?:\/\/[^/]+\//.test(parts[0])) throw new Error(noBase);
        return { kind: "pattern", parts };
    }
    if (typeof literal === "string") return { kind: "exact", url: literal };
    const dynamic = parameters["ApiEndpoint.$"];
    if (typeof dynamic !== "string") throw new Error(`State \`${stateName}\` has no \`ApiEndpoint\`.`);
    const noBase = `State \`${stateName}\`: a dynamic \`ApiEndpoint.$\` needs a static https base URL (use \`States.Format('https://host/path/{}', ...)\`); got \`${dynamic}\`.`;
    const template = formatTemplate(dynamic);
    if (template === undefined) throw new Error(noBase);
    const parts = template.split("{}").map(unescapeIntrinsicText);
    if (!/^https?:\/\/[^/]+\//.test(parts[0])) throw new Error(noBase);
    return { kind: "pattern", parts };
}
