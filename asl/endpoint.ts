/**
 * API base URLs and the `ApiEndpoint` of an HTTP Task: validation, joining a base URL with a path,
 * and reading an endpoint back out of a finished definition (for the IAM policy).
 */
import { escapeIntrinsicTemplate, unescapeIntrinsicText } from "./payload";

/** Hosts for which plain `http://` is accepted: the local runner's sandbox APIs only. */
export function isLoopbackHost(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Problems with a base URL, as sentences; empty when it is usable. Step Functions calls HTTPS APIs
 * only (docs/aws-facts.md §1.3), and the query string belongs in `QueryParameters`, so a base URL
 * carries neither a query nor a fragment. `http://` is allowed for loopback hosts only when
 * `allowLoopbackHttp` is set (the local runner).
 */
export function baseUrlProblems(url: string, options: { allowLoopbackHttp?: boolean } = {}): string[] {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return ["is not a valid absolute URL"];
    }
    const problems: string[] = [];
    const loopbackHttp = options.allowLoopbackHttp === true && parsed.protocol === "http:" && isLoopbackHost(parsed.hostname);
    if (parsed.protocol !== "https:" && !loopbackHttp) problems.push("must use `https://`");
    if (parsed.search !== "" || url.includes("?")) problems.push("must not contain a query string (use `QueryParameters`)");
    if (parsed.hash !== "" || url.includes("#")) problems.push("must not contain a fragment");
    if (parsed.username !== "" || parsed.password !== "") problems.push("must not contain credentials (use an EventBridge connection)");
    return problems;
}

/** Throws when `url` is not a usable API base URL. */
export function assertBaseUrl(url: string, options: { allowLoopbackHttp?: boolean } = {}): void {
    const problems = baseUrlProblems(url, options);
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

/**
 * The text an HTTP Task's endpoint is known to start with: the static `ApiEndpoint`, or the literal
 * text of a `States.Format` endpoint before its first `{}`; undefined when nothing of it is literal.
 */
export function endpointHead(parameters: Record<string, unknown>): string | undefined {
    if (typeof parameters["ApiEndpoint"] === "string") return parameters["ApiEndpoint"];
    const dynamic = parameters["ApiEndpoint.$"];
    const template = typeof dynamic === "string" ? formatTemplate(dynamic) : undefined;
    return template === undefined ? undefined : unescapeIntrinsicText(template.split("{}")[0]);
}

/**
 * The IAM match for an HTTP Task's endpoint: `exact` for a static `ApiEndpoint`; for a
 * `States.Format` endpoint, the literal parts around its `{}` placeholders, so
 * `https://api.example.com/v1/payment_intents/{}/capture` is
 * granted as the StringLike pattern `https://api.example.com/v1/payment_intents/` + `*` + `/capture`, nothing else
 * under `payment_intents/`.
 * The text before the first `{}` must hold the scheme, the whole host and a `/`: otherwise
 * `https://api.example.com{}` would also match `https://api.example.com.evil.tld`. Any other
 * dynamic endpoint throws rather than widening the permission to `*`.
 */
export function endpointMatch(parameters: Record<string, unknown>, stateName: string): EndpointMatch {
    const literal = parameters["ApiEndpoint"];
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
