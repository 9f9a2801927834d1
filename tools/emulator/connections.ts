/**
 * EventBridge connections for the local runner, in the shape of EventBridge's `CreateConnection`
 * request (docs/aws-facts.md §7.1), so a `connections.json` can reuse what is deployed:
 * `{ "<connection ARN>": { "AuthorizationType": ..., "AuthParameters": { ... } } }`.
 */
import { isLoopbackHost } from "./routes";
import { isObject } from "../../deploy/asl/json";

/** One `{ Key, Value, IsValueSecret }` item of `ConnectionHttpParameters`. */
export interface ConnectionParameter {
    readonly Key: string;
    readonly Value: string;
    readonly IsValueSecret?: boolean;
}

/** Extra headers, query-string and body keys sent with every call (or token request). */
export interface ConnectionHttpParameters {
    readonly HeaderParameters?: readonly ConnectionParameter[];
    readonly QueryStringParameters?: readonly ConnectionParameter[];
    readonly BodyParameters?: readonly ConnectionParameter[];
}

/** `OAuthParameters` of a client-credentials connection. */
export interface OAuthParameters {
    readonly AuthorizationEndpoint: string;
    readonly HttpMethod: "GET" | "POST" | "PUT";
    readonly ClientParameters: { readonly ClientID: string; readonly ClientSecret: string };
    readonly OAuthHttpParameters?: ConnectionHttpParameters;
}

/** `AuthParameters`: the block matching `AuthorizationType`, plus invocation parameters. */
export interface ConnectionAuthParameters {
    readonly BasicAuthParameters?: { readonly Username: string; readonly Password: string };
    readonly ApiKeyAuthParameters?: { readonly ApiKeyName: string; readonly ApiKeyValue: string };
    readonly OAuthParameters?: OAuthParameters;
    readonly InvocationHttpParameters?: ConnectionHttpParameters;
}

/** EventBridge's authorization types. */
export type AuthorizationType = "BASIC" | "API_KEY" | "OAUTH_CLIENT_CREDENTIALS";

/** A connection as the local runner knows it. */
export interface ConnectionSpec {
    readonly AuthorizationType: AuthorizationType;
    readonly AuthParameters: ConnectionAuthParameters;
}

/** Connection ARN pattern from the EventBridge API (docs/aws-facts.md §1.2). */
export const CONNECTION_ARN = /^arn:aws([a-z]|-)*:events:([a-z]|\d|-)*:([0-9]{12})?:connection\/[.\-_A-Za-z0-9]+\/[-A-Za-z0-9]+$/;

const BLOCK_FOR: Record<AuthorizationType, keyof ConnectionAuthParameters> = {
    BASIC: "BasicAuthParameters",
    API_KEY: "ApiKeyAuthParameters",
    OAUTH_CLIENT_CREDENTIALS: "OAuthParameters",
};

const isText = (v: unknown): v is string => typeof v === "string" && v !== "";

function parameterProblems(value: unknown, at: string): string[] {
    if (value === undefined) return [];
    if (!isObject(value)) return [`\`${at}\` must be an object with \`HeaderParameters\`, \`QueryStringParameters\` or \`BodyParameters\``];
    const problems: string[] = [];
    for (const [list, items] of Object.entries(value)) {
        if (!["HeaderParameters", "QueryStringParameters", "BodyParameters"].includes(list))
            problems.push(`\`${at}.${list}\` is not a connection parameter list`);
        else if (!Array.isArray(items)) problems.push(`\`${at}.${list}\` must be an array of \`{ "Key", "Value" }\``);
        else
            items.forEach((item, i) => {
                if (!isObject(item) || !isText(item.Key) || typeof item.Value !== "string")
                    problems.push(`\`${at}.${list}[${i}]\` needs a string \`Key\` and \`Value\``);
            });
    }
    return problems;
}

function oauthProblems(oauth: Record<string, unknown>, at: string): string[] {
    const problems: string[] = [];
    let url: URL | undefined;
    try {
        url = new URL(String(oauth.AuthorizationEndpoint));
    } catch {
        problems.push(`\`${at}.AuthorizationEndpoint\` must be an absolute URL`);
    }
    if (url && url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
        problems.push(`\`${at}.AuthorizationEndpoint\` must use \`https://\` (\`http://\` only for loopback hosts)`);
    }
    if (!["GET", "POST", "PUT"].includes(oauth.HttpMethod as string)) problems.push(`\`${at}.HttpMethod\` must be \`GET\`, \`POST\` or \`PUT\``);
    const client = oauth.ClientParameters;
    if (!isObject(client) || !isText(client.ClientID) || !isText(client.ClientSecret))
        problems.push(`\`${at}.ClientParameters\` needs \`ClientID\` and \`ClientSecret\``);
    return [...problems, ...parameterProblems(oauth.OAuthHttpParameters, `${at}.OAuthHttpParameters`)];
}

function specProblems(spec: unknown, arn: string): string[] {
    if (!CONNECTION_ARN.test(arn)) return [`\`${arn}\` is not an EventBridge connection ARN (arn:aws:events:<region>:<account>:connection/<name>/<uuid>)`];
    if (!isObject(spec)) return [`\`${arn}\` must map to \`{ "AuthorizationType", "AuthParameters" }\``];
    const type = spec.AuthorizationType as AuthorizationType;
    if (!(type in BLOCK_FOR)) return [`\`${arn}.AuthorizationType\` must be \`BASIC\`, \`API_KEY\` or \`OAUTH_CLIENT_CREDENTIALS\``];
    const auth = spec.AuthParameters;
    const block = BLOCK_FOR[type];
    if (!isObject(auth) || !isObject(auth[block])) return [`\`${arn}.AuthParameters.${block}\` is required for \`${type}\``];
    const problems = Object.values(BLOCK_FOR)
        .filter((other) => other !== block && auth[other] !== undefined)
        .map((other) => `\`${arn}.AuthParameters.${other}\` does not belong to a \`${type}\` connection`);
    const params = auth[block] as Record<string, unknown>;
    const at = `${arn}.AuthParameters.${block}`;
    if (type === "BASIC" && (!isText(params.Username) || !isText(params.Password))) problems.push(`\`${at}\` needs \`Username\` and \`Password\``);
    if (type === "API_KEY" && (!isText(params.ApiKeyName) || !isText(params.ApiKeyValue))) problems.push(`\`${at}\` needs \`ApiKeyName\` and \`ApiKeyValue\``);
    if (type === "OAUTH_CLIENT_CREDENTIALS") problems.push(...oauthProblems(params, at));
    return [...problems, ...parameterProblems(auth.InvocationHttpParameters, `${arn}.AuthParameters.InvocationHttpParameters`)];
}

/** Thrown for an unusable `connections.json`; the message lists every problem. */
export class ConnectionsError extends Error {}

/** Validates a parsed `connections.json` and returns it as a map from connection ARN. */
export function parseConnections(json: unknown): Map<string, ConnectionSpec> {
    if (!isObject(json))
        throw new ConnectionsError('`connections.json` must be an object mapping each connection ARN to `{ "AuthorizationType", "AuthParameters" }`.');
    const problems = Object.entries(json).flatMap(([arn, spec]) => specProblems(spec, arn));
    if (problems.length > 0) throw new ConnectionsError(`Invalid connections: ${problems.join("; ")}.`);
    return new Map(Object.entries(json as Record<string, ConnectionSpec>));
}

/** The `[key, value]` pairs of one connection parameter list, in order. */
export function parameterPairs(list: readonly ConnectionParameter[] | undefined): [string, string][] {
    return (list ?? []).map((p) => [p.Key, p.Value]);
}
