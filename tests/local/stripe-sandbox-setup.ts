/**
 * A Stripe sandbox per test for the `stripe-*.test.ts` files: one payment server (Stripe's routes,
 * the connection's API key, Stripe's `Request-Id` on every answer), its ledger, the exchanges it
 * saw, its Stripe control (clock, client-confirmed intents, held keys), its fault injector, and
 * Stripe's own Node SDK pointed at it.
 */
import Stripe from "stripe";
import { ConnectionSpec } from "../../tools/emulator/connections";
import { accessCheck, TokenIssuer } from "../../tools/sandbox/auth";
import { FaultInjector } from "../../tools/sandbox/faults";
import { RunningServer, SandboxExchange, startServer } from "../../tools/sandbox/http-server";
import { Ledger } from "../../tools/sandbox/ledger";
import {
    newRequestId,
    STRIPE_TEST_PAYMENT_METHODS as PM,
    stripeErrorBody,
    stripeSandbox,
    StripeControl,
    StripeSandboxOptions,
} from "../../tools/sandbox/stripe";

/** The test secret key the sandbox accepts. */
export const API_KEY = "sk_test_local_sandbox";
/** The EventBridge connection an HTTP Task would use. */
export const CONNECTION: ConnectionSpec = {
    AuthorizationType: "API_KEY",
    AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "Authorization", ApiKeyValue: `Bearer ${API_KEY}` } },
};

/** The saga's authorize request (server-side confirmation, manual capture) for order `ord-1`, as form parameters. */
export const AUTHORIZE = {
    amount: 2599,
    currency: "eur",
    payment_method: PM.visa,
    confirm: true,
    capture_method: "manual",
    automatic_payment_methods: { enabled: true, allow_redirects: "never" },
    metadata: { order_id: "ord-1" },
} as const;

/** What one test gets. */
export interface StripeSandboxFixture {
    readonly server: RunningServer;
    readonly ledger: Ledger;
    readonly exchanges: SandboxExchange[];
    readonly stripe: Stripe;
    readonly control: StripeControl;
    readonly faults: FaultInjector;
}

/** Starts a sandbox before each test of the enclosing `describe` and closes it after. */
export function useStripeSandbox(options: StripeSandboxOptions = {}): () => StripeSandboxFixture {
    let current: StripeSandboxFixture | undefined;
    beforeEach(async () => {
        const ledger = new Ledger();
        const exchanges: SandboxExchange[] = [];
        const faults = new FaultInjector(1);
        const { routes, control } = stripeSandbox(ledger, { faults, ...options });
        const server = await startServer({
            api: "payment",
            basePath: "/v1",
            routes,
            faults,
            ledger,
            checkAccess: accessCheck(CONNECTION, new TokenIssuer(ledger)),
            errorBody: stripeErrorBody,
            commonHeaders: () => ({ "Request-Id": newRequestId() }),
            onExchange: (e) => exchanges.push(e),
        });
        const port = Number(new URL(server.baseUrl).port);
        const stripe = new Stripe(API_KEY, { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 });
        current = { server, ledger, exchanges, stripe, control, faults };
    });
    afterEach(() => current?.server.close());
    return () => current!;
}

/** Settles `promise` and returns what it rejected with (fails the test if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
    return promise.then(
        () => {
            throw new Error("expected Stripe to refuse the request");
        },
        (e: Stripe.errors.StripeError) => e,
    );
}

/** The ledger without sequence numbers and api (always `payment` here). */
export const entries = (ledger: Ledger) => ledger.entries.map(({ kind, orderId, id, detail }) => ({ kind, orderId, id, detail }));
