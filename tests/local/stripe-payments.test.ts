/**
 * The sandbox's test PaymentMethods, Strong Customer Authentication paths, the storefront's
 * client-confirmed intents, authorization expiry, asynchronous refunds, amount rules and search,
 * each as Stripe documents them (sources in tools/sandbox/stripe/*.ts and
 * deploy/workflows/order/payment/stripe-currencies.ts). These tests prove the sandbox follows those sources, not
 * that Stripe's servers answer identically today.
 */
import * as assert from "node:assert/strict";
import Stripe from "stripe";
import { STRIPE_TEST_PAYMENT_METHODS as PM } from "../../tools/sandbox/stripe";
import { AUTHORIZE, entries, rejection, useStripeSandbox } from "./stripe-sandbox-setup";

const DAY = 24 * 60 * 60;

describe("Stripe sandbox: test PaymentMethods and authentication", () => {
    const sandbox = useStripeSandbox();

    for (const [method, code, declineCode, param] of [
        [PM.lostCard, "card_declined", "lost_card", undefined],
        [PM.expiredCard, "expired_card", "expired_card", "exp_month"],
        [PM.processingError, "processing_error", "processing_error", undefined],
    ] as const) {
        it(`declines ${method} with 402 ${code} / ${declineCode}`, async () => {
            const e = await rejection(sandbox().stripe.paymentIntents.create({ ...AUTHORIZE, payment_method: method }));
            assert.ok(e instanceof Stripe.errors.StripeCardError);
            assert.deepEqual(
                [e.statusCode, e.code, e.decline_code, e.param, e.payment_intent?.status],
                [402, code, declineCode, param, "requires_payment_method"],
            );
        });
    }

    it("tells authentication apart from a decline: error_on_requires_action and off_session answer 402 authentication_required", async () => {
        const { stripe, ledger } = sandbox();
        const handled = await rejection(
            stripe.paymentIntents.create({ ...AUTHORIZE, payment_method: PM.authenticationRequired, error_on_requires_action: true }),
        );
        assert.ok(handled instanceof Stripe.errors.StripeCardError);
        assert.deepEqual([handled.code, handled.decline_code], ["authentication_required", "authentication_not_handled"]);
        // The refused intent stays open: it must be cancelled, or it dangles.
        assert.equal(handled.payment_intent?.status, "requires_payment_method");
        const offSession = await rejection(stripe.paymentIntents.create({ ...AUTHORIZE, payment_method: PM.threeDSecure, off_session: true }));
        assert.deepEqual([offSession.code, offSession.decline_code], ["authentication_required", "authentication_required"]);
        assert.deepEqual(
            ledger.of("decline").map((e) => e.detail),
            ["authentication_not_handled", "authentication_required"],
        );
        const onSession = await stripe.paymentIntents.create({ ...AUTHORIZE, payment_method: PM.threeDSecure });
        assert.equal(onSession.status, "requires_action");
    });

    it("creates the intents the storefront leaves after confirming with Stripe.js, for the saga to read", async () => {
        const { stripe, control, ledger } = sandbox();
        const ready = control.clientConfirmed({ amount: 2599, currency: "eur", metadata: { order_id: "ord-sca" }, status: "requires_capture" });
        const read = await stripe.paymentIntents.retrieve(ready.id);
        assert.deepEqual(
            [read.status, read.amount, read.currency, read.metadata, read.amount_capturable],
            ["requires_capture", 2599, "eur", { order_id: "ord-sca" }, 2599],
        );
        assert.equal((await stripe.paymentIntents.capture(ready.id)).status, "succeeded");
        const waiting = control.clientConfirmed({ amount: 2599, currency: "eur", metadata: { order_id: "ord-3ds" }, status: "requires_action" });
        assert.equal((await stripe.paymentIntents.retrieve(waiting.id)).status, "requires_action");
        assert.deepEqual(
            entries(ledger).map((e) => [e.kind, e.orderId]),
            [
                ["authorization", "ord-sca"],
                ["capture", "ord-sca"],
                ["requires-action", "ord-3ds"],
            ],
        );
    });

    it("confirms an intent created without confirmation", async () => {
        const { stripe } = sandbox();
        const { confirm: _c, payment_method: _m, ...unconfirmed } = AUTHORIZE;
        const intent = await stripe.paymentIntents.create(unconfirmed);
        const confirmed = await stripe.paymentIntents.confirm(intent.id, { payment_method: PM.visa });
        assert.equal(confirmed.status, "requires_capture");
        await assert.rejects(stripe.paymentIntents.confirm(intent.id), { code: "payment_intent_unexpected_state" });
    });
});

describe("Stripe sandbox: authorization life and refunds on the test clock", () => {
    const sandbox = useStripeSandbox({ refundSettleSeconds: 60 });

    it("gives an authorization capture_before 7 days out, then cancels it with cancellation_reason automatic", async () => {
        const { stripe, control, ledger } = sandbox();
        const intent = await stripe.paymentIntents.create(AUTHORIZE);
        const read = await stripe.paymentIntents.retrieve(intent.id, { expand: ["latest_charge"] });
        const charge = read.latest_charge as Stripe.Charge;
        const captureBefore = charge.payment_method_details?.card?.capture_before;
        assert.equal(captureBefore, intent.created + 7 * DAY);
        control.clock.advance(7 * DAY - 2);
        assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, "requires_capture");
        control.clock.advance(2);
        const lapsed = await stripe.paymentIntents.retrieve(intent.id);
        assert.deepEqual(
            [lapsed.status, lapsed.cancellation_reason, lapsed.amount_capturable, lapsed.canceled_at],
            ["canceled", "automatic", 0, captureBefore],
        );
        await assert.rejects(stripe.paymentIntents.capture(intent.id), { code: "payment_intent_unexpected_state" });
        assert.deepEqual(
            ledger.of("cancel").map((e) => e.detail),
            ["requires_capture"],
        );
    });

    it("refunds pm_card_pendingRefund as pending then succeeded, and pm_card_refundFail as succeeded then failed", async () => {
        const { stripe, control, ledger } = sandbox();
        const pay = (method: string) => stripe.paymentIntents.create({ ...AUTHORIZE, payment_method: method, capture_method: "automatic" });
        const pending = await stripe.refunds.create({ payment_intent: (await pay(PM.pendingRefund)).id });
        const failing = await stripe.refunds.create({ payment_intent: (await pay(PM.refundFail)).id });
        const plain = await stripe.refunds.create({ payment_intent: (await pay(PM.visa)).id });
        assert.deepEqual([pending.status, failing.status, plain.status], ["pending", "succeeded", "succeeded"]);
        control.clock.advance(60);
        const [p, f] = [await stripe.refunds.retrieve(pending.id), await stripe.refunds.retrieve(failing.id)];
        assert.deepEqual([p.status, f.status, f.failure_reason], ["succeeded", "failed", "unknown"]);
        assert.deepEqual(
            ledger.of("refund-failed").map((e) => e.id),
            [failing.id],
        );
        // The failed refund gave the money back to the merchant, so it can be refunded again.
        assert.equal((await stripe.refunds.create({ payment_intent: f.payment_intent as string })).status, "succeeded");
    });
});

describe("Stripe sandbox: amounts and currencies", () => {
    const sandbox = useStripeSandbox();
    const refusal = async (amount: number, currency: string) => {
        const e = await rejection(sandbox().stripe.paymentIntents.create({ ...AUTHORIZE, amount, currency }));
        return { status: e.statusCode, code: e.code, param: e.param, message: e.message };
    };

    it("refuses amounts under Stripe's minimum charge, in the currency's own minor units", async () => {
        assert.deepEqual(await refusal(49, "eur"), { status: 400, code: "amount_too_small", param: "amount", message: "Amount must be at least €0.50 eur" });
        assert.deepEqual((await refusal(49, "jpy")).message, "Amount must be at least ¥50 jpy");
        assert.equal((await sandbox().stripe.paymentIntents.create({ ...AUTHORIZE, amount: 50, currency: "jpy" })).amount, 50);
    });

    it("refuses a three-decimal amount not ending in 0, fractional ISK, unsupported and upper-case currencies", async () => {
        assert.equal((await refusal(1005, "kwd")).param, "amount");
        assert.equal((await sandbox().stripe.paymentIntents.create({ ...AUTHORIZE, amount: 1010, currency: "kwd" })).currency, "kwd");
        assert.equal((await refusal(150, "isk")).code, "invalid_charge_amount_no_decimal_compatible");
        assert.match((await refusal(2599, "xyz")).message, /^Invalid currency: xyz\. Stripe currently supports these currencies: usd, aed,/);
        assert.equal((await refusal(2599, "EUR")).param, "currency");
    });
});

describe("Stripe sandbox: search, eventually consistent", () => {
    const sandbox = useStripeSandbox({ searchLagSeconds: 30 });
    const byOrder = (stripe: Stripe, orderId: string) => stripe.paymentIntents.search({ query: `metadata['order_id']:'${orderId}'` });

    it("finds an intent by metadata only after the lag, with Stripe's query syntax", async () => {
        const { stripe, control } = sandbox();
        const intent = await stripe.paymentIntents.create(AUTHORIZE);
        await stripe.paymentIntents.create({ ...AUTHORIZE, metadata: { order_id: "ord-2" } });
        assert.deepEqual((await byOrder(stripe, "ord-1")).data, []);
        control.clock.advance(30);
        const found = await byOrder(stripe, "ord-1");
        assert.deepEqual([found.object, found.data.map((i) => i.id), found.has_more, found.next_page], ["search_result", [intent.id], false, null]);
        const both = await stripe.paymentIntents.search({ query: `status:"requires_capture" AND amount>=2599 AND -metadata["order_id"]:"ord-3"`, limit: 1 });
        assert.deepEqual([both.data.length, both.has_more], [1, true]);
        await assert.rejects(stripe.paymentIntents.search({ query: "order_id:'ord-1'" }), { statusCode: 400, param: "query" });
    });

    it("misses a new intent for as many searches as the fault says", async () => {
        const { stripe, control, faults } = sandbox();
        faults.set("GET /payment_intents/search", { searchMisses: 2, searchLagSeconds: 0 });
        await stripe.paymentIntents.create(AUTHORIZE);
        control.clock.advance(1);
        const counts = [];
        for (let i = 0; i < 3; i++) counts.push((await byOrder(stripe, "ord-1")).data.length);
        assert.deepEqual(counts, [0, 0, 1]);
    });
});
