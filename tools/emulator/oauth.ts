/**
 * OAuth client-credentials tokens for `OAUTH_CLIENT_CREDENTIALS` connections: fetched from the
 * connection's authorization endpoint, cached until shortly before expiry, dropped on 401/407
 * (docs/aws-facts.md §7.2).
 *
 * EventBridge's token-request wire format is UNKNOWN (§7.2), so this follows RFC 6749 §4.4, the
 * form every client-credentials server must accept: the client authenticates with HTTP Basic
 * (RFC 6749 §2.3.1), `OAuthHttpParameters` body keys go form-encoded in the body (in the query for
 * `GET`), header and query keys as given. Nothing is added: `grant_type` comes from the connection.
 */
import { OAuthParameters, parameterPairs } from "./connections";
import { send } from "./transport";

/** Tokens are refreshed this long before they expire (EventBridge refreshes "about to expire" ones). */
export const REFRESH_MARGIN_MS = 60_000;

interface CachedToken {
    readonly accessToken: string;
    /** `Infinity` when the server gave no `expires_in`: kept until a 401/407. */
    readonly expiresAt: number;
}

/** Thrown when no token can be obtained; the caller de-authorizes the connection (§7.3). */
export class TokenError extends Error {}

const form = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");

/** Token cache for every OAuth connection of one emulator. */
export class OAuthTokens {
    private readonly cache = new Map<string, CachedToken>();
    private readonly inFlight = new Map<string, Promise<CachedToken>>();

    /**
     * @param timeoutMs deadline of a token request; @param now clock in ms (tests pass a fake one);
     * @param route where a token URL is sent (a `RouteTable`'s `target`: the sandbox's token endpoint).
     */
    constructor(
        private readonly timeoutMs: number,
        private readonly now: () => number = Date.now,
        private readonly route: (url: string) => string = (url) => url,
    ) {}

    /** The cached access token of connection `arn`, as a list (empty when none), for masking. */
    current(arn: string): string[] {
        const cached = this.cache.get(arn);
        return cached ? [cached.accessToken] : [];
    }

    /** A valid access token for connection `arn`, from the cache or a token request. */
    async token(arn: string, oauth: OAuthParameters): Promise<string> {
        const cached = this.cache.get(arn);
        if (cached && this.now() < cached.expiresAt - REFRESH_MARGIN_MS) return cached.accessToken;
        // Concurrent executions share one token request instead of stampeding the endpoint.
        let pending = this.inFlight.get(arn);
        if (!pending) {
            pending = this.fetchToken(oauth).finally(() => this.inFlight.delete(arn));
            this.inFlight.set(arn, pending);
        }
        const fresh = await pending;
        this.cache.set(arn, fresh);
        return fresh.accessToken;
    }

    /** Forgets the token of `arn` (after a 401/407), so the next call fetches a new one. */
    invalidate(arn: string, token?: string): void {
        if (token === undefined || this.cache.get(arn)?.accessToken === token) this.cache.delete(arn);
    }

    private async fetchToken(oauth: OAuthParameters): Promise<CachedToken> {
        const extra = oauth.OAuthHttpParameters;
        const bodyPairs = parameterPairs(extra?.BodyParameters);
        const queryPairs = [...parameterPairs(extra?.QueryStringParameters), ...(oauth.HttpMethod === "GET" ? bodyPairs : [])];
        const { ClientID, ClientSecret } = oauth.ClientParameters;
        const headers: Record<string, string> = {
            Accept: "application/json",
            ...Object.fromEntries(parameterPairs(extra?.HeaderParameters)),
            Authorization: `Basic ${Buffer.from(`${ClientID}:${ClientSecret}`).toString("base64")}`,
        };
        const hasBody = oauth.HttpMethod !== "GET" && bodyPairs.length > 0;
        if (hasBody) headers["Content-Type"] = "application/x-www-form-urlencoded";
        const query = form(queryPairs);
        const url =
            query === "" ? oauth.AuthorizationEndpoint : `${oauth.AuthorizationEndpoint}${oauth.AuthorizationEndpoint.includes("?") ? "&" : "?"}${query}`;
        const started = this.now();
        let result;
        try {
            // Routed here, inside the try: a token URL with no route fails like an unreachable one.
            result = await send({ method: oauth.HttpMethod, url: this.route(url), headers, ...(hasBody ? { body: form(bodyPairs) } : {}) }, this.timeoutMs);
        } catch (e) {
            throw new TokenError(`The token request to ${oauth.AuthorizationEndpoint} failed: ${(e as Error).message}`);
        }
        const answer = result.ResponseBody as { access_token?: unknown; expires_in?: unknown } | string;
        if (result.StatusCode < 200 || result.StatusCode > 299 || typeof answer !== "object" || answer === null || typeof answer.access_token !== "string") {
            throw new TokenError(
                `The authorization endpoint ${oauth.AuthorizationEndpoint} answered ${result.StatusCode} ${result.StatusText} without an \`access_token\`.`,
            );
        }
        const expiresIn = Number(answer.expires_in);
        return { accessToken: answer.access_token, expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? started + expiresIn * 1000 : Infinity };
    }
}
