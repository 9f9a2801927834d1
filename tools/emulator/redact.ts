/**
 * The one masking rule of every command: what traces, causes, last lines, TestState answers and
 * synth files may show. A connection's credential (password, API key, client secret, the OAuth
 * access token, Basic credentials as base64) and every invocation or token parameter whose value
 * may be secret are replaced by `***`, wherever they appear: alone, inside a longer string, as a
 * number an API echoes, or as an object key. Whether EventBridge defaults `IsValueSecret` to true
 * is UNKNOWN (docs/aws-facts.md §12), so a parameter is shown only when it says `IsValueSecret: false`.
 */
import { ConnectionHttpParameters, ConnectionSpec } from "./connections";

/** What a masked value reads as. */
export const MASK = "***";

const lists = (p: ConnectionHttpParameters | undefined) => [...(p?.HeaderParameters ?? []), ...(p?.QueryStringParameters ?? []), ...(p?.BodyParameters ?? [])];

/** Every value of `connection` a trace must not print (longest first, so a secret inside another is masked whole). */
export function secretValues(connection: ConnectionSpec, extra: readonly string[] = []): string[] {
    const a = connection.AuthParameters;
    const oauth = a.OAuthParameters;
    const params = [...lists(a.InvocationHttpParameters), ...lists(oauth?.OAuthHttpParameters)].filter((p) => p.IsValueSecret !== false).map((p) => p.Value);
    const basic = a.BasicAuthParameters;
    // Basic credentials travel base64-encoded in `Authorization`, which a server may echo back.
    const encodedBasic = basic ? Buffer.from(`${basic.Username}:${basic.Password}`).toString("base64") : undefined;
    const credentials = [basic?.Password, encodedBasic, a.ApiKeyAuthParameters?.ApiKeyValue, oauth?.ClientParameters.ClientSecret];
    return sortedSecrets([...credentials, ...params, ...extra]);
}

/** The secrets of every connection, plus `extra` (OAuth tokens seen), longest first. */
export function connectionSecrets(connections: Iterable<ConnectionSpec>, extra: readonly string[] = []): string[] {
    return sortedSecrets([...[...connections].flatMap((c) => secretValues(c)), ...extra]);
}

/** Non-empty, unique, longest first; a Bearer value also without its scheme (servers may echo the bare key). */
function sortedSecrets(values: readonly unknown[]): string[] {
    const texts = values.map((v) => (typeof v === "number" ? String(v) : v)).filter((v): v is string => typeof v === "string" && v.length > 0);
    const bare = texts.flatMap((v) => (/^Bearer ./.test(v) ? [v.slice(7)] : []));
    return [...new Set([...texts, ...bare])].sort((x, y) => y.length - x.length);
}

// `scheme://user:pass@host`: user info runs from `//` to the last `@` before the path.
const USER_INFO = /((?:[a-z][a-z0-9+.-]*:)?\/\/)[^/?#\s`'"]*@/gi;

/**
 * `text` with every secret, raw, URL-encoded or escaped inside a JSON string (a password with `"` or
 * `\` in a serialized output), replaced by `marker`; and the user info of any URL in it
 * (`https://user:pass@host`) replaced by `***`, whoever's it is.
 */
export function maskText(text: string, secrets: readonly string[], marker: string = MASK): string {
    let out = text;
    for (const secret of secrets) {
        for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) out = out.split(form).join(marker);
    }
    return out.replace(USER_INFO, `$1${MASK}@`);
}

/**
 * `value` (any JSON-like value) with every secret masked: strings and object keys by `maskText`; a
 * number or boolean whose text equals or contains a secret becomes the string `marker` (a numeric
 * secret an API echoes is still that secret). The result stays valid JSON, so a last line can be
 * masked before it is serialized.
 */
export function mask<T>(value: T, secrets: readonly string[], marker: string = MASK): T {
    if (typeof value === "string") return maskText(value, secrets, marker) as T;
    if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
        const text = String(value);
        return (secrets.some((s) => text.includes(s)) ? marker : value) as T;
    }
    if (Array.isArray(value)) return value.map((v: unknown) => mask(v, secrets, marker)) as T;
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskText(k, secrets, marker), mask(v, secrets, marker)])) as T;
    }
    return value;
}

/** `url` with the values of the connection's query parameters that may be secret, and any secret, masked. */
export function maskUrl(url: string, connection: ConnectionSpec, secrets: readonly string[]): string {
    const secretKeys = new Set(
        (connection.AuthParameters.InvocationHttpParameters?.QueryStringParameters ?? []).filter((p) => p.IsValueSecret !== false).map((p) => p.Key),
    );
    const at = url.indexOf("?");
    if (at < 0) return maskText(url, secrets);
    const query = url
        .slice(at + 1)
        .split("&")
        .map((pair) => {
            const key = pair.split("=")[0];
            return secretKeys.has(safeDecode(key)) ? `${key}=${MASK}` : pair;
        })
        .join("&");
    return maskText(`${url.slice(0, at)}?${query}`, secrets);
}

/** `decodeURIComponent` that keeps text it cannot decode (`%E0%A4%A`) instead of throwing. */
function safeDecode(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}
