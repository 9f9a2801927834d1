/**
 * Starts the sandbox: payment (Stripe's wire protocol), inventory and shipping APIs plus an OAuth authorization server, all
 * on 127.0.0.1 ephemeral ports, sharing one ledger. Each API accepts the credentials of the
 * connection it is started with, and has its own seeded fault injector.
 */
import { ConnectionSpec } from "../emulator/connections";
import { inventoryRoutes, shippingRoutes } from "./apis";
import { accessCheck, TokenIssuer } from "./auth";
import { FaultInjector, FaultSpec, hashSeed } from "./faults";
import { RunningServer, Route, SandboxExchange, startServer } from "./http-server";
import { Ledger } from "./ledger";
import { newRequestId, stripeErrorBody, stripeSandbox, StripeControl, StripeSandboxOptions } from "./stripe";

/** The sandbox's business APIs. */
export const SANDBOX_APIS = ["payment", "inventory", "shipping"] as const;
/** One of `SANDBOX_APIS`. */
export type SandboxApi = (typeof SANDBOX_APIS)[number];

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

/** The routes of the team's own services; payment's come from the Stripe sandbox with its control. */
const ROUTES: Record<Exclude<SandboxApi, "payment">, (ledger: Ledger) => Route[]> = { inventory: inventoryRoutes, shipping: shippingRoutes };

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
            const payment = api === "payment" ? stripeSandbox(ledger, { faults: faults[api], basePath: apis[api].basePath, ...options.stripe }) : undefined;
            stripe ??= payment?.control;
            const server = await startServer({
                api,
                basePath: apis[api].basePath,
                routes: payment ? payment.routes : ROUTES[api as Exclude<SandboxApi, "payment">](ledger),
                faults: faults[api],
                ledger,
                checkAccess: accessCheck(connection, issuer),
                onExchange: options.onExchange,
                ...(api === "payment" ? { errorBody: stripeErrorBody, commonHeaders: () => ({ "Request-Id": newRequestId() }) } : {}),
            });
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
