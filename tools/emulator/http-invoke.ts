/**
 * The HTTP Task emulator: performs one `arn:aws:states:::http:invoke` the way Step Functions does
 * (docs/aws-facts.md §1–5, checklist §11): connection lookup and state, request building, auth,
 * the 60 s limit, the result shape and the error names.
 */
import { httpStatusError } from "../../deploy/asl/http-task";
import { ConnectionSpec } from "./connections";
import { connectionError, runtimeError, socketError, TaskError } from "./errors";
import { OAuthTokens, TokenError } from "./oauth";
import { RouteTable } from "./routes";
import { connectionSecrets, maskText, maskUrl, secretValues } from "./redact";
import { buildRequest, connectionArnOf, credentialHeader, HttpRequest, withHeader } from "./request";
import { HTTP_TASK_TIMEOUT_MS, HttpResult, send } from "./transport";

/** One HTTP exchange, for traces. `status` is absent when no answer came back. */
export interface HttpCall {
    readonly method: string;
    /** The URL the definition called (what AWS would show), with secret query values masked (`***`). */
    readonly url: string;
    /** Where the local run sent it, when a route sent it elsewhere (masked the same way). */
    readonly target?: string;
    readonly status?: number;
    readonly error?: string;
    readonly startedAt: number;
    readonly durationMs: number;
}

/** How the emulator behaves where AWS is UNKNOWN or a test needs a knob. */
export interface HttpEmulatorOptions {
    /** Connections by ARN (a `connections.json`, parsed). */
    readonly connections: ReadonlyMap<string, ConnectionSpec>;
    /** Region in `User-Agent: Amazon|StepFunctions|HttpInvoke|<region>`. */
    readonly region: string;
    /** The HTTP exchange limit. @default 60000 (§5.3) */
    readonly timeoutMs?: number;
    /**
     * `Cause` of `States.Http.StatusCode.*`: the status text (reported by a third party), or the
     * whole result as JSON. UNKNOWN in AWS (§5.2). @default "statusText"
     */
    readonly statusCause?: "statusText" | "result";
    /**
     * Where each real URL (task endpoints and OAuth token URLs) is sent, applied when sending, after
     * every check ran on the real URL. A URL no route covers fails with `States.Http.Socket`.
     * @default none: every URL is sent as written (unit tests that call a local echo server)
     */
    readonly routes?: RouteTable;
}

/** Connection states the emulator tracks (§7.3). */
export type ConnectionState = "AUTHORIZED" | "DEAUTHORIZED";

/** Emulates `http:invoke` for every HTTP Task of the executions that share it. */
export class HttpTaskEmulator {
    private readonly tokens: OAuthTokens;
    private readonly deauthorized = new Map<string, string>();
    private readonly timeoutMs: number;
    /** Every OAuth access token obtained, dropped ones too: an API may echo any of them later. */
    private readonly tokensSeen = new Set<string>();

    constructor(private readonly options: HttpEmulatorOptions) {
        this.timeoutMs = options.timeoutMs ?? HTTP_TASK_TIMEOUT_MS;
        this.tokens = new OAuthTokens(this.timeoutMs, Date.now, options.routes?.target);
    }

    /** `AUTHORIZED` until a 401/407 (Basic, API key) or a failed token request de-authorizes it. */
    connectionState(arn: string): ConnectionState {
        return this.deauthorized.has(arn) ? "DEAUTHORIZED" : "AUTHORIZED";
    }

    /** Every secret a printed line must mask: each connection's, and every OAuth token obtained so far. */
    secrets(): string[] {
        return connectionSecrets(this.options.connections.values(), [...this.tokensSeen]);
    }

    /**
     * Performs the HTTP Task whose resolved `Parameters` are `params`; resolves to the task result
     * or rejects with the Step Functions error. `onCall` sees every exchange, failed or not.
     */
    invoke(params: unknown, onCall?: (call: HttpCall) => void): Promise<HttpResult> {
        // The deadline starts now, synchronously, so it fires before the engine's own 60 s Task
        // timeout and the failure is `States.Http.Socket`, as in AWS, not `States.Timeout`.
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(socketError(`The HTTP Task did not complete within ${this.timeoutMs / 1000} seconds.`)), this.timeoutMs);
        });
        const work = this.perform(params, Date.now() + this.timeoutMs, onCall);
        return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
    }

    private async perform(params: unknown, deadlineAt: number, onCall?: (call: HttpCall) => void): Promise<HttpResult> {
        if (typeof params !== "object" || params === null || Array.isArray(params)) throw runtimeError("The HTTP Task `Parameters` must be a JSON object.");
        const fields = params as Record<string, unknown>;
        const arn = connectionArnOf(fields);
        const connection = this.options.connections.get(arn);
        if (!connection) throw connectionError("ResourceNotFound", `Connection ${arn} does not exist (it is not in the connections file).`);
        const reason = this.deauthorized.get(arn);
        if (reason !== undefined) throw connectionError("InvalidConnectionState", `Connection ${arn} is DEAUTHORIZED: ${reason}`);
        // Traces and causes never show a credential or a parameter that may be secret (masked as ***).
        try {
            return await this.send(fields, arn, connection, deadlineAt, onCall);
        } catch (e) {
            if (e instanceof TaskError) throw new TaskError(e.name, maskText(e.message, secretValues(connection, this.tokens.current(arn))));
            throw e;
        }
    }

    private async send(
        fields: Record<string, unknown>,
        arn: string,
        connection: ConnectionSpec,
        deadlineAt: number,
        onCall?: (call: HttpCall) => void,
    ): Promise<HttpResult> {
        const { request, token } = await this.authorize(buildRequest(fields, connection, this.options.region), arn, connection);
        // Masked only for someone who records calls: nobody sees the URL otherwise.
        const shown = (url: string) => maskUrl(url, connection, secretValues(connection, token ? [token] : []));
        let target: string | undefined;
        const call = () => ({ method: request.method, url: shown(request.url), ...(target && target !== request.url ? { target: shown(target) } : {}) });
        const startedAt = Date.now();
        let result: HttpResult;
        try {
            target = this.options.routes ? this.options.routes.target(request.url) : request.url;
            result = await send({ ...request, url: target }, Math.max(1, deadlineAt - Date.now()));
        } catch (e) {
            onCall?.({ ...call(), error: (e as Error).name, startedAt, durationMs: Date.now() - startedAt });
            throw e;
        }
        onCall?.({ ...call(), status: result.StatusCode, startedAt, durationMs: Date.now() - startedAt });
        if (result.StatusCode === 401 || result.StatusCode === 407) this.onAuthRejected(arn, connection, result, token);
        if (result.StatusCode >= 200 && result.StatusCode <= 299) return result;
        // 3xx is not followed: whether AWS follows redirects is UNKNOWN (§4.1), so it fails here.
        const cause = this.options.statusCause === "result" ? JSON.stringify(result) : result.StatusText;
        throw new TaskError(httpStatusError(result.StatusCode), cause);
    }

    /** Adds the connection's credential last, so nothing in the task or connection can replace it. */
    private async authorize(request: HttpRequest, arn: string, connection: ConnectionSpec): Promise<{ request: HttpRequest; token?: string }> {
        const auth = connection.AuthParameters;
        switch (connection.AuthorizationType) {
            case "BASIC":
            case "API_KEY":
                return { request: withHeader(request, ...credentialHeader(connection)) };
            case "OAUTH_CLIENT_CREDENTIALS": {
                let token: string;
                try {
                    token = await this.tokens.token(arn, auth.OAuthParameters!);
                    this.tokensSeen.add(token);
                } catch (e) {
                    if (!(e instanceof TokenError)) throw e;
                    // "An OAuth token cannot be refreshed" de-authorizes the connection (§7.3).
                    this.deauthorized.set(arn, e.message);
                    throw connectionError("InvalidConnectionState", `Connection ${arn} is DEAUTHORIZED: ${e.message}`);
                }
                return { request: withHeader(request, ...credentialHeader(connection, token)), token };
            }
        }
    }

    /**
     * OAuth: the token is dropped and the next call fetches a new one; the failing call is not
     * replayed (whether EventBridge replays it is UNKNOWN, §7.2). Basic and API key: the connection
     * is de-authorized, and every later call fails with `InvalidConnectionState` (§5.4, §7.3).
     */
    private onAuthRejected(arn: string, connection: ConnectionSpec, result: HttpResult, token?: string): void {
        if (connection.AuthorizationType === "OAUTH_CLIENT_CREDENTIALS") this.tokens.invalidate(arn, token);
        else this.deauthorized.set(arn, `the endpoint answered ${result.StatusCode} ${result.StatusText}`);
    }
}
