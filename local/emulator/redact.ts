/**
 * What traces and log lines may show of a connection: its credential (password, API key, client
 * secret, OAuth token) and every invocation or token parameter whose value may be secret are
 * replaced by `***`. Whether EventBridge defaults `IsValueSecret` to true is UNKNOWN
 * (docs/aws-facts.md §12), so a parameter is shown only when it says `IsValueSecret: false`.
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
    const values = [...credentials, ...params, ...extra].filter((v): v is string => typeof v === "string" && v.length > 0);
    // A Bearer value is also masked without its scheme, as servers may echo the bare key.
    const bare = values.flatMap((v) => (/^Bearer /.test(v) ? [v.slice(7)] : []));
    return [...new Set([...values, ...bare])].sort((x, y) => y.length - x.length);
}

/**
 * `text` with every secret, raw, URL-encoded or escaped inside a JSON string (a password with `"` or
 * `\` in a serialized output), replaced by `***`.
 */
export function maskText(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const secret of secrets) {
        for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) out = out.split(form).join(MASK);
    }
    return out;
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
            return secretKeys.has(decodeURIComponent(key)) ? `${key}=${MASK}` : pair;
        })
        .join("&");
    return maskText(`${url.slice(0, at)}?${query}`, secrets);
}
