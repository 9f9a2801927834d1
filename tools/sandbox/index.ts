/**
 * Starts the sandbox: the order saga's APIs (payment speaking Stripe's wire protocol, inventory and
 * shipping; `SANDBOX_APIS`, from the saga's module) plus an OAuth authorization server, all on
 * 127.0.0.1 ephemeral ports, sharing one ledger. Each API accepts the credentials of the connection it
 * is started with, and has its own seeded fault injector; what it answers comes from `routes.ts`.
 */
import { ConnectionSpec } from "../emulator/connections";
import { accessCheck, TokenIssuer } from "./auth";
import { FaultInjector, FaultSpec, hashSeed } from "./faults";
import { RunningServer, SandboxExchange, startServer } from "./http-server";
import { Ledger } from "./ledger";
import { SANDBOX_APIS, SANDBOX_SERVICES, SandboxApi, SandboxService } from "./routes";
import { StripeControl, StripeSandboxOptions } from "./stripe";

export { SANDBOX_APIS } from "./routes";
export type { SandboxApi } from "./routes";

/** How to start one API. */
export interface SandboxApiOptions {
    /** Path the API is served under, e.g. `/v1` (from the stack's base URL). */
    readonly basePath: string;
    /** The connection callers use, given the local token URL (for OAuth connections). */
    connection(tokenUrl: string): ConnectionSpec;
}

/** A running sandbox. */
export interface Sandbox {
    readonly ledger: Ledger;
    readonly issuer: TokenIssuer;
    /** Base URL of each API. */
    readonly urls: Readonly<Record<SandboxApi, string>>;
    /** The connection each API accepts (OAuth ones point at `tokenUrl`). */
    readonly connections: Readonly<Record<SandboxApi, ConnectionSpec>>;
    readonly tokenUrl: string;
    readonly faults: Readonly<Record<SandboxApi, FaultInjector>>;
    /** The payment API's Stripe clock, client-confirmed intents and held keys (its Stripe-only faults are in `faults.payment`). */
    readonly stripe: StripeControl;
    /** Sets the faults of every endpoint of every API (`undefined` clears them). */
    setFaults(spec: FaultSpec | undefined): void;
    /** Closes every server. */
    close(): Promise<void>;
}

/** Starts the sandbox; `seed` drives every fault decision. */
export async function startSandbox(
    apis: Readonly<Record<SandboxApi, SandboxApiOptions>>,
    options: { seed?: number; tokenPath?: string; onExchange?: (exchange: SandboxExchange) => void; stripe?: StripeSandboxOptions } = {},
): Promise<Sandbox> {
    const seed = options.seed ?? 1;
    const ledger = new Ledger();
    const issuer = new TokenIssuer(ledger);
    const tokenPath = (options.tokenPath ?? "/oauth2/token").replace(/\/token$/, "");
    const servers: RunningServer[] = [await issuer.start(tokenPath)];
    const tokenUrl = `${servers[0].baseUrl}/token`;
    const urls = {} as Record<SandboxApi, string>;
    const connections = {} as Record<SandboxApi, ConnectionSpec>;
    const faults = {} as Record<SandboxApi, FaultInjector>;
    let stripe: StripeControl | undefined;
    try {
        for (const api of SANDBOX_APIS) {
            const connection = apis[api].connection(tokenUrl);
            issuer.registerConnection(connection);
            faults[api] = new FaultInjector(hashSeed(api, seed));
            let baseUrl = "";
            const service: SandboxService = SANDBOX_SERVICES[api]({
                ledger,
                faults: faults[api],
                basePath: apis[api].basePath,
                baseUrl: () => baseUrl,
                stripe: options.stripe,
            });
            stripe ??= service.stripe;
            const server = await startServer({
                api,
                basePath: apis[api].basePath,
                routes: service.routes,
                faults: faults[api],
                ledger,
                checkAccess: accessCheck(connection, issuer),
                onExchange: options.onExchange,
                errorBody: service.errorBody,
                commonHeaders: service.commonHeaders,
            });
            baseUrl = server.baseUrl;
            servers.push(server);
            urls[api] = server.baseUrl;
            connections[api] = connection;
        }
    } catch (e) {
        await Promise.all(servers.map((s) => s.close()));
        throw e;
    }
    return {
        ledger,
        issuer,
        urls,
        connections,
        tokenUrl,
        faults,
        stripe: stripe!,
        setFaults: (spec) => SANDBOX_APIS.forEach((api) => faults[api].set("*", spec)),
        close: async () => {
            await Promise.all(servers.map((s) => s.close()));
        },
    };
}
