/**
 * Sandbox authentication, derived from the very connection the emulator signs with: a sandbox API
 * accepts exactly the credential its connection sends (Basic, API key or an OAuth bearer token it
 * issued) plus the connection's invocation headers and query keys, and answers 401 otherwise.
 */
import { randomBytes } from "crypto";
import * as http from "http";
import { ConnectionSpec, parameterPairs } from "../emulator/connections";
import { FaultInjector } from "./faults";
import { startServer, RunningServer } from "./http-server";
import { Ledger } from "./ledger";

/** Issues and checks OAuth client-credentials tokens (RFC 6749 §4.4) for registered clients. */
export class TokenIssuer {
    // Several connections may use one client id (with other secrets or scopes): each registration counts.
    private readonly clients = new Map<string, { secret: string; body: [string, string][] }[]>();
    private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();

    /** @param ttlSeconds lifetime of an issued token. */
    constructor(
        private readonly ledger: Ledger,
        readonly ttlSeconds = 3600,
    ) {}

    /** Accepts `clientId`/`secret`; `body` keys (e.g. `grant_type`, `scope`) must come with every request. */
    register(clientId: string, secret: string, body: [string, string][]): void {
        this.clients.set(clientId, [...(this.clients.get(clientId) ?? []), { secret, body }]);
    }

    /** Accepts the OAuth client of `connection`, with its token-request body parameters; other connections need nothing. */
    registerConnection(connection: ConnectionSpec): void {
        const oauth = connection.AuthParameters.OAuthParameters;
        if (!oauth) return;
        const body = (oauth.OAuthHttpParameters?.BodyParameters ?? []).map((p): [string, string] => [p.Key, p.Value]);
        this.register(oauth.ClientParameters.ClientID, oauth.ClientParameters.ClientSecret, body);
    }

    /** True for a live token issued to `clientId`. */
    isValid(token: string, clientId: string): boolean {
        const t = this.tokens.get(token);
        return t !== undefined && t.clientId === clientId && Date.now() < t.expiresAt;
    }

    /** Forgets every issued token (tests: a token revoked behind the client's back). */
    revokeAll(): void {
        this.tokens.clear();
    }

    /** Starts the authorization server; its token endpoint is `<baseUrl>/token`. */
    start(basePath: string): Promise<RunningServer> {
        const issue = (req: { body: unknown; query: URLSearchParams; headers: http.IncomingHttpHeaders }) => {
            const [clientId, secret] = Buffer.from(String(req.headers.authorization ?? "").replace(/^Basic /, ""), "base64")
                .toString()
                .split(":");
            const registrations = (this.clients.get(clientId) ?? []).filter((c) => c.secret === secret);
            if (registrations.length === 0) return { status: 401, body: { error: "invalid_client" } };
            const params = { ...Object.fromEntries(req.query), ...((req.body ?? {}) as Record<string, string>) };
            if (params.grant_type !== "client_credentials") return { status: 400, body: { error: "unsupported_grant_type" } };
            if (!registrations.some((client) => client.body.every(([k, v]) => params[k] === v))) return { status: 400, body: { error: "invalid_scope" } };
            const token = randomBytes(18).toString("base64url");
            this.tokens.set(token, { clientId, expiresAt: Date.now() + this.ttlSeconds * 1000 });
            this.ledger.record({ api: "auth", kind: "token", id: token.slice(0, 6), detail: clientId });
            return { status: 200, body: { access_token: token, token_type: "Bearer", expires_in: this.ttlSeconds } };
        };
        const routes = (["GET", "POST", "PUT"] as const).map((method) => ({ method, pattern: /^\/token$/, name: `${method} /token`, handle: issue }));
        return startServer({ api: "auth", basePath, routes, faults: new FaultInjector(0), ledger: this.ledger });
    }
}

/**
 * The access check of a sandbox API whose callers use `connection`: 401 without the right
 * credential, 400 without the connection's invocation headers or query keys.
 */
export function accessCheck(connection: ConnectionSpec, issuer: TokenIssuer) {
    const auth = connection.AuthParameters;
    const headerParams = parameterPairs(auth.InvocationHttpParameters?.HeaderParameters);
    const queryParams = parameterPairs(auth.InvocationHttpParameters?.QueryStringParameters);
    const authorized = (req: http.IncomingMessage): boolean => {
        switch (connection.AuthorizationType) {
            case "BASIC": {
                const { Username, Password } = auth.BasicAuthParameters!;
                return req.headers.authorization === `Basic ${Buffer.from(`${Username}:${Password}`).toString("base64")}`;
            }
            case "API_KEY":
                return req.headers[auth.ApiKeyAuthParameters!.ApiKeyName.toLowerCase()] === auth.ApiKeyAuthParameters!.ApiKeyValue;
            case "OAUTH_CLIENT_CREDENTIALS": {
                const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
                return token !== undefined && issuer.isValid(token, auth.OAuthParameters!.ClientParameters.ClientID);
            }
        }
    };
    const challenge =
        connection.AuthorizationType === "BASIC"
            ? 'Basic realm="sandbox"'
            : connection.AuthorizationType === "API_KEY" && auth.ApiKeyAuthParameters!.ApiKeyName.toLowerCase() !== "authorization"
              ? `ApiKey realm="sandbox", header="${auth.ApiKeyAuthParameters!.ApiKeyName}"`
              : 'Bearer realm="sandbox"';
    return (req: http.IncomingMessage, query: URLSearchParams): { status: number; message: string; challenge?: string } | undefined => {
        if (!authorized(req)) return { status: 401, message: `Missing or wrong ${connection.AuthorizationType} credentials.`, challenge };
        const header = headerParams.find(([k, v]) => req.headers[k.toLowerCase()] !== v);
        if (header) return { status: 400, message: `Header \`${header[0]}\` is required.` };
        const param = queryParams.find(([k, v]) => query.get(k) !== v);
        if (param) return { status: 400, message: `Query parameter \`${param[0]}\` is required.` };
        return undefined;
    };
}
