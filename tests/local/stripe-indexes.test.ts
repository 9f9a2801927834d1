/**
 * The Stripe sandbox's indexes (by `metadata.order_id`, by charge, and the queues of lapsing
 * authorizations and settling refunds) answer exactly as a walk over every object would: after a
 * metadata update, for a charge replaced by a later attempt, and for several objects falling due
 * at once (acted on in creation order, not due order). These prove the sandbox agrees with itself
 * before and after indexing, not anything about Stripe's servers.
 */
import * as assert from "node:assert/strict";
import { STRIPE_TEST_PAYMENT_METHODS as PM } from "../../tools/sandbox/stripe";
import { DueQueue } from "../../tools/sandbox/stripe/due-queue";
import { AUTHORIZE, rejection, useStripeSandbox } from "./stripe-sandbox-setup";

const DAY = 24 * 60 * 60;

describe("DueQueue", () => {
    it("takes what is due by `now`, in the order added, and keeps the rest", () => {
        const queue = new DueQueue<string>();
        for (const [at, item] of [
            [30, "c"],
            [10, "a"],
            [20, "b"],
            [10, "d"],
            [50, "late"],
        ] as const)
            queue.add(at, item);
        assert.deepEqual(queue.takeDue(5), []);
        assert.deepEqual(queue.takeDue(30), ["c", "a", "b", "d"]);
        assert.deepEqual([queue.size, queue.takeDue(49), queue.takeDue(50)], [1, [], ["late"]]);
    });

    it("orders by an explicit `seq` when one is given", () => {
        const queue = new DueQueue<string>();
        queue.add(1, "second", 2);
        queue.add(9, "first", 1);
        assert.deepEqual(queue.takeDue(9), ["first", "second"]);
    });
});

describe("Stripe sandbox: indexed lookups agree with a full walk", () => {
    const sandbox = useStripeSandbox();

    it("finds an intent by the order id its capture gave it, and no longer by the old one", async () => {
        const { stripe } = sandbox();
        const intent = await stripe.paymentIntents.create(AUTHORIZE);
        await stripe.paymentIntents.capture(intent.id, { metadata: { order_id: "ord-2" } });
        const search = async (orderId: string) => (await stripe.paymentIntents.search({ query: `metadata['order_id']:'${orderId}'` })).data.map((i) => i.id);
        assert.deepEqual([await search("ord-1"), await search("ord-2")], [[], [intent.id]]);
    });

    it("returns every intent of an order newest first", async () => {
        const { stripe } = sandbox();
        const first = await stripe.paymentIntents.create(AUTHORIZE);
        await stripe.paymentIntents.create({ ...AUTHORIZE, metadata: { order_id: "other" } });
        const second = await stripe.paymentIntents.create(AUTHORIZE);
        const found = await stripe.paymentIntents.search({ query: `metadata['order_id']:'ord-1'` });
        assert.deepEqual(
            found.data.map((i) => i.id),
            [second.id, first.id],
        );
    });

    it("refunds by the intent's latest charge, and refuses the charge of an earlier declined attempt", async () => {
        const { stripe } = sandbox();
        const declined = await rejection(stripe.paymentIntents.create({ ...AUTHORIZE, payment_method: PM.declined, capture_method: "automatic" }));
        const raw = declined as { raw?: { charge?: string; payment_intent?: { id: string } } };
        const [oldCharge, id] = [raw.raw?.charge, raw.raw?.payment_intent?.id];
        assert.ok(oldCharge && id);
        const paid = await stripe.paymentIntents.confirm(id, { payment_method: PM.visa });
        assert.equal(paid.status, "succeeded");
        await assert.rejects(stripe.refunds.create({ charge: oldCharge }), { code: "resource_missing", param: "charge" });
        const refund = await stripe.refunds.create({ charge: paid.latest_charge as string });
        assert.equal(refund.payment_intent, id);
    });

    it("cancels authorizations that lapse at once in creation order, whatever their capture_before", async () => {
        const { stripe, control, ledger } = sandbox();
        const early = control.clientConfirmed({ amount: 100, currency: "eur", metadata: { order_id: "a" }, status: "requires_action", paymentMethod: PM.visa });
        const late = control.clientConfirmed({ amount: 100, currency: "eur", metadata: { order_id: "b" }, status: "requires_capture" });
        control.clock.advance(60);
        // The older intent is authorized a minute after the newer one, so its authorization lapses later.
        await stripe.paymentIntents.confirm(early.id);
        control.clock.advance(7 * DAY + 60);
        await stripe.paymentIntents.retrieve(late.id);
        assert.deepEqual(
            ledger.of("cancel").map((e) => e.id),
            [early.id, late.id],
        );
    });
});
