/**
 * Every path of the order saga (`deploy/workflows/order/definition.ts`, the definition `pulumi up` deploys), run by
 * the local runner against the sandbox APIs with the dev stack's auth types: the final status and
 * error, and what the sandbox ledger says each API actually did. The Stripe sandbox behaves as Stripe
 * documents (stored 500s replayed per key, keys pruned after 24 h, eventually consistent search), so
 * these runs show the saga surviving Stripe as Stripe behaves; what they cannot show is AWS's own
 * `Cause` text for an HTTP error (docs/aws-facts.md §5.2), hence the runs with both readings.
 */
import * as assert from "node:assert/strict";
import { LocalOrderStack, startLocalOrderStack } from "../../tools/local/order-stack";
import { orderOf, SCENARIOS } from "../../tools/local/scenarios";
import { FaultDecision } from "../../tools/sandbox/faults";

const byName = (name: string) => {
    const scenario = SCENARIOS.find((s) => s.name === name);
    assert.ok(scenario, name);
    return scenario;
};
const CAPTURE = "POST /payment_intents/{id}/capture";
const CREATE = "POST /payment_intents";

describe("local order saga scenarios (sandbox APIs on 127.0.0.1)", () => {
    let local: LocalOrderStack;
    before(async () => {
        local = await startLocalOrderStack({ trace: true });
    });
    after(() => local.close());
    afterEach(() => {
        for (const endpoint of [CAPTURE, CREATE, "GET /payment_intents/search"]) local.sandbox.faults.payment.set(endpoint, undefined);
    });

    /** Runs a scenario (as `asOrderId` if given) and returns the ledger kinds of its order, in order, without fault entries. */
    async function run(name: string, asOrderId?: string, on = local) {
        const scenario = byName(name);
        const renamed = asOrderId ? { ...scenario, order: { ...(scenario.order as object), orderId: asOrderId } } : scenario;
        const order = orderOf(renamed, on.sandbox);
        const result = await on.runner.run(order);
        const orderId = (order as { orderId: string }).orderId;
        const ledger = on.sandbox.ledger.entries.filter((e) => e.orderId === orderId && e.kind !== "fault").map((e) => e.kind);
        const notes = on.outbox.messages.filter((m) => m.attributes.orderId === orderId).map((m) => m.attributes.event);
        const states = result.trace?.map((s) => s.state) ?? [];
        return { result, ledger, notes, states, orderId };
    }
    /** The faults of `endpoint`: `first` decisions, then none. */
    function failFirst(endpoint: string, count: number, decision: FaultDecision) {
        let seen = 0;
        const injector = local.sandbox.faults.payment;
        const original = injector.decide.bind(injector);
        injector.decide = (e: string) => (e === endpoint && ++seen <= count ? decision : original(e));
        return () => (injector.decide = original);
    }

    it("signs with the dev stack's auth types: Stripe's bearer key (payment), Basic (inventory), OAuth (shipping)", () => {
        assert.deepEqual(
            (["payment", "inventory", "shipping"] as const).map((api) => local.sandbox.connections[api].AuthorizationType),
            ["API_KEY", "BASIC", "OAUTH_CLIENT_CREDENTIALS"],
        );
        assert.deepEqual(local.sandbox.connections.payment.AuthParameters.ApiKeyAuthParameters, {
            ApiKeyName: "Authorization",
            ApiKeyValue: "Bearer sk_test_local_sandbox",
        });
    });

    for (const scenario of SCENARIOS)
        it(`${scenario.name}: ends ${scenario.expected.error ?? scenario.expected.status}`, async () => {
            const { result } = await run(scenario.name, `${scenario.order.orderId}-x`);
            assert.deepEqual([result.status, result.error], [scenario.expected.status, scenario.expected.error]);
        });

    it("success: finds no earlier intent, authorizes, reserves, ships, then captures the same intent once and notifies", async () => {
        const { result, ledger, notes, states } = await run("success");
        assert.equal(result.status, "SUCCEEDED");
        assert.deepEqual(ledger, ["authorization", "reservation", "shipment", "capture"]);
        assert.deepEqual(notes, ["OrderConfirmed"]);
        assert.deepEqual(states.slice(0, 4), ["ValidateOrder", "SearchPaymentIntent", "ReadSearchResult", "AuthorizePayment"]);
        const output = result.output as { payment: { intentId: string }; shipment: { trackingNumber: string }; authorization?: unknown; search?: unknown };
        assert.match(output.payment.intentId, /^pi_[A-Za-z0-9]+$/);
        assert.deepEqual([output.authorization, output.search], [undefined, undefined], "raw Stripe answers are dropped once read");
        assert.deepEqual(
            local.sandbox.ledger.of("capture", "ord-success").map((e) => e.id),
            [output.payment.intentId],
        );
        assert.match(output.shipment.trackingNumber, /^1ZLOCAL\d{10}$/);
    });

    it("card declined: one 402; the declined intent is found by search and cancelled; PaymentDeclined with Stripe's decline code", async () => {
        const { result, ledger, notes } = await run("card declined");
        assert.deepEqual([result.status, result.error, result.cause], ["FAILED", "PaymentDeclined", "Stripe did not authorize the payment: generic_decline"]);
        assert.deepEqual(ledger, ["decline", "cancel"]);
        assert.deepEqual(notes, ["PaymentDeclined"]);
        assert.deepEqual(
            result.trace?.find((s) => s.state === "AuthorizePayment")?.http.map((c) => c.status),
            [402],
        );
    });

    it("card declined, where the error's cause carries Stripe's answer: read from the cause, no search needed", async () => {
        const withAnswers = await startLocalOrderStack({ statusCause: "result", trace: true });
        try {
            const { result, ledger, states } = await run("card declined", undefined, withAnswers);
            assert.deepEqual([result.status, result.error, result.cause], ["FAILED", "PaymentDeclined", "Stripe declined the payment: generic_decline"]);
            assert.deepEqual(ledger, ["decline", "cancel"]);
            assert.equal(states.filter((s) => s === "SearchPaymentIntent").length, 1, "only the search before creating");
        } finally {
            await withAnswers.close();
        }
    });

    it("3-D Secure, server-side: error_on_requires_action tells authentication apart from a decline; nothing is left open", async () => {
        const { result, ledger, notes } = await run("3-D Secure, server-side");
        assert.deepEqual([result.status, result.error], ["FAILED", "PaymentAuthenticationRequired"]);
        assert.equal(ledger.includes("authorization"), false);
        assert.equal(ledger.at(-1), "cancel");
        assert.deepEqual(notes, ["PaymentAuthenticationRequired"]);
    });

    it("3-D Secure, confirmed by the storefront: the saga checks the intent and captures it, creating none", async () => {
        const { result, ledger, states } = await run("3-D Secure, confirmed by the storefront");
        assert.equal(result.status, "SUCCEEDED");
        assert.deepEqual(ledger, ["authorization", "reservation", "shipment", "capture"]);
        assert.deepEqual(states.slice(0, 4), ["ValidateOrder", "RetrievePaymentIntent", "CheckAuthorization", "ReserveInventory"]);
    });

    it("3-D Secure unfinished at the storefront: the requires_action intent is cancelled and the customer asked to pay again", async () => {
        const { result, ledger, notes } = await run("3-D Secure unfinished at the storefront");
        assert.deepEqual([result.status, result.error], ["FAILED", "PaymentAuthenticationRequired"]);
        assert.deepEqual(ledger, ["requires-action", "cancel"]);
        assert.deepEqual(notes, ["PaymentAuthenticationRequired"]);
    });

    it("another order's storefront PaymentIntent is never cancelled or captured: PaymentMismatch", async () => {
        const other = orderOf(
            { ...byName("3-D Secure, confirmed by the storefront"), order: { ...(byName("success").order as object), orderId: "ord-owner" } },
            local.sandbox,
        );
        const { paymentMethod: _, ...rest } = byName("success").order as Record<string, unknown>;
        const result = await local.runner.run({ ...rest, orderId: "ord-thief", paymentIntentId: (other as { paymentIntentId: string }).paymentIntentId });
        assert.deepEqual([result.status, result.error], ["FAILED", "PaymentMismatch"]);
        assert.deepEqual(
            local.sandbox.ledger.entries.filter((e) => e.orderId === "ord-owner").map((e) => e.kind),
            ["authorization"],
        );
    });

    it("out of stock: 409 is not retried, the authorization is cancelled, OrderCancelled", async () => {
        const { result, ledger, notes } = await run("out of stock → intent cancelled");
        assert.deepEqual([result.status, result.error], ["FAILED", "OrderCancelled"]);
        assert.deepEqual(ledger, ["authorization", "out-of-stock", "cancel"]);
        assert.equal(local.sandbox.ledger.of("cancel", "ord-sold-out")[0].detail, "requires_capture");
        assert.deepEqual(notes, ["OrderCancelled"]);
        assert.deepEqual(result.trace?.find((s) => s.state === "ReserveInventory")?.retries, []);
    });

    it("shipping outage: two 503s are retried and the order succeeds with one shipment", async () => {
        const { result, ledger } = await run("shipping outage retried");
        assert.equal(result.status, "SUCCEEDED");
        assert.deepEqual(ledger, ["authorization", "reservation", "shipment", "capture"]);
        const ship = result.trace?.find((s) => s.state === "CreateShipment");
        assert.deepEqual(
            ship?.http.map((c) => c.status),
            [503, 503, 201],
        );
    });

    it("shipping down: 4 attempts, then the reservation is released and the authorization cancelled, and only then the customer told", async () => {
        const { result, ledger, notes, states } = await run("shipping down → release + cancel");
        assert.deepEqual([result.status, result.error], ["FAILED", "OrderCancelled"]);
        assert.deepEqual(ledger, ["authorization", "reservation", "release", "cancel"]);
        assert.deepEqual(notes, ["OrderCancelled"]);
        assert.equal(result.trace?.find((s) => s.state === "CreateShipment")?.http.length, 4);
        assert.deepEqual(states.slice(-9), [
            "CancelShipment",
            "ReleaseInventory",
            "ReadPaymentIntent",
            "ChooseUndo",
            "CancelPaymentIntent",
            "DecideOutcome",
            "NotifyOrderCancelled",
            "Conclude",
            "OrderCancelled",
        ]);
    });

    for (const name of ["invalid order", "hostile order id", "below Stripe's minimum"]) {
        it(`${name}: InvalidOrder before any API call`, async () => {
            const { result, ledger, notes, states } = await run(name);
            assert.deepEqual([result.status, result.error], ["FAILED", "InvalidOrder"]);
            assert.deepEqual(states, ["ValidateOrder", "InvalidOrder"]);
            assert.deepEqual([ledger, notes], [[], []]);
        });
    }

    describe("capture is never a reason to cancel a ready order", () => {
        it("four 503s on capture: the saga reads the intent, pages, waits and captures in the next round; nothing compensated", async () => {
            const restore = failFirst(CAPTURE, 4, { kind: "status", status: 503, afterEffect: false });
            try {
                const { result, ledger, notes, states } = await run("success", "ord-capture-outage");
                assert.equal(result.status, "SUCCEEDED");
                assert.deepEqual(ledger, ["authorization", "reservation", "shipment", "capture"]);
                assert.deepEqual(notes, ["PaymentCaptureDelayed", "OrderConfirmed"]);
                assert.deepEqual(states.slice(-7), [
                    "CapturePayment",
                    "ReadCapture",
                    "ChooseAfterCapture",
                    "ReportCaptureDelayed",
                    "WaitToCapture",
                    "CapturePayment",
                    "NotifyCustomer",
                ]);
            } finally {
                restore();
            }
        });

        it("the capture took effect but every answer was a 500: the intent reads succeeded and the order completes, no refund", async () => {
            local.sandbox.faults.payment.set(CAPTURE, { p500: 1, afterEffectShare: 1 });
            const { result, ledger } = await run("success", "ord-capture-lost");
            assert.equal(result.status, "SUCCEEDED");
            assert.deepEqual(ledger, ["authorization", "reservation", "shipment", "capture"]);
        });

        it("an authorization that expires during the outage ends PaymentNotCapturable, with the goods shipped and nothing undone", async () => {
            // Each hour-long wait between capture rounds passes a day on the Stripe clock: the 7-day authorization lapses.
            const started: { stack?: LocalOrderStack } = {};
            const stack = await startLocalOrderStack({ trace: true, waitMs: (seconds) => (started.stack?.sandbox.stripe.clock.advance(seconds * 24), 0) });
            started.stack = stack;
            try {
                stack.sandbox.faults.payment.set(CAPTURE, { p503: 1 });
                const { result, ledger, notes } = await run("success", "ord-capture-expired", stack);
                assert.deepEqual([result.status, result.error], ["FAILED", "PaymentNotCapturable"]);
                assert.match(String(result.cause), /^The goods were shipped but PaymentIntent pi_\w+ could not be captured \(status canceled/);
                assert.deepEqual(ledger, ["authorization", "reservation", "shipment", "cancel"], "Stripe released the authorization; the saga undid nothing");
                assert.ok(notes.length >= 6 && notes.every((n) => n === "PaymentCaptureDelayed"), notes.join());
            } finally {
                await stack.close();
            }
        });
    });

    describe("indeterminate outcomes are found, not guessed", () => {
        it("a 500 Stripe stored after creating the intent is replayed to every retry: the intent is found by search and the order completes", async () => {
            local.sandbox.faults.payment.set(CREATE, { pStored500: 1, afterEffectShare: 1 });
            local.sandbox.faults.payment.set("GET /payment_intents/search", { searchMisses: 2 });
            const { result, ledger, states } = await run("success", "ord-stored-500");
            assert.equal(result.status, "SUCCEEDED");
            assert.deepEqual(ledger, ["authorization", "reservation", "shipment", "capture"]);
            assert.deepEqual(
                result.trace?.find((s) => s.state === "AuthorizePayment")?.http.map((c) => c.status),
                [500, 500, 500, 500],
            );
            // Two searches missed the new intent (Stripe's index lags), the third found it.
            assert.equal(states.filter((s) => s === "WaitForPaymentIntent").length, 3);
        });

        it("a stored 500 before anything was created: no intent is ever found, so PaymentStateUnknown pages, and no second intent is created", async () => {
            local.sandbox.faults.payment.set(CREATE, { pStored500: 1, afterEffectShare: 0 });
            const { result, ledger, notes, states } = await run("success", "ord-nothing-found");
            assert.deepEqual([result.status, result.error], ["FAILED", "PaymentStateUnknown"]);
            assert.deepEqual(ledger, []);
            assert.deepEqual(notes, ["NeedsAttention"]);
            assert.equal(states.filter((s) => s === "AuthorizePayment").length, 1);
        });

        it("an idempotency_error is our fault: PaymentRequestFailed pages, never 'declined'", async () => {
            local.sandbox.faults.payment.set(CREATE, { pIdempotencyError: 1 });
            const { result, notes } = await run("success", "ord-idempotency-error");
            assert.deepEqual([result.status, result.error], ["FAILED", "PaymentRequestFailed"]);
            assert.deepEqual(notes, ["PaymentProblem"]);
        });
    });

    describe("re-runs and redrives never create a second intent", () => {
        it("a re-run within 24 hours replays every answer: one authorization, one capture, one shipment", async () => {
            const order = { ...(byName("success").order as object), orderId: "ord-twice" };
            await local.runner.run(order);
            const again = await local.runner.run(order);
            assert.equal(again.status, "SUCCEEDED");
            for (const kind of ["authorization", "capture", "shipment"] as const) assert.equal(local.sandbox.ledger.of(kind, "ord-twice").length, 1, kind);
        });

        it("a re-run after Stripe pruned the keys finds the captured intent by search and completes without charging again", async () => {
            const order = { ...(byName("success").order as object), orderId: "ord-after-expiry" };
            assert.equal((await local.runner.run(order)).status, "SUCCEEDED");
            local.sandbox.stripe.clock.advance(25 * 3600);
            const again = await local.runner.run(order);
            assert.equal(again.status, "SUCCEEDED");
            for (const kind of ["authorization", "capture"] as const) assert.equal(local.sandbox.ledger.of(kind, "ord-after-expiry").length, 1, kind);
        });

        it("a re-run with a changed amount gets a new key (no idempotency_error) and finds the first intent: PaymentMismatch, nothing touched", async () => {
            const order = { ...(byName("success").order as object), orderId: "ord-changed" };
            await local.runner.run(order);
            const changed = await local.runner.run({ ...order, amount: 4200 });
            assert.deepEqual([changed.status, changed.error], ["FAILED", "PaymentMismatch"]);
            assert.deepEqual(
                local.sandbox.ledger.entries.filter((e) => e.orderId === "ord-changed" && e.api === "payment").map((e) => e.kind),
                ["authorization", "capture"],
            );
        });
    });

    it("a revoked OAuth token fails one shipment call with 401, and the next call gets a fresh token", async () => {
        const tokensBefore = local.sandbox.ledger.of("token").length;
        local.sandbox.issuer.revokeAll();
        const first = await local.runner.run({ ...(byName("success").order as object), orderId: "ord-revoked" });
        assert.deepEqual([first.status, first.error], ["FAILED", "OrderCancelled"]);
        assert.deepEqual(
            first.trace?.find((s) => s.state === "CreateShipment")?.http.map((c) => c.status),
            [401],
        );
        const second = await local.runner.run({ ...(byName("success").order as object), orderId: "ord-after-revoke" });
        assert.equal(second.status, "SUCCEEDED");
        assert.equal(local.sandbox.ledger.of("token").length, tokensBefore + 1);
    });
});
