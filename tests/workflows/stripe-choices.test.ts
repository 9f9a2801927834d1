/**
 * The Stripe module's decisions (JSONata Choice and Pass states), each run alone by the local engine
 * as Step Functions would run it: where each answer leads, what the state keeps, and that no answer
 * (however malformed) can make them throw or put an unchecked id into a URL. Pure: no HTTP. What this
 * cannot prove: that AWS's JSONata evaluates `$hash` and `$match` exactly as the engine's jsonata-js.
 */
import * as assert from "node:assert/strict";
import { Engine } from "../../tools/engine/engine";
import { seededRandom } from "../../tools/sandbox/faults";
import { State } from "../../deploy/asl/types";
import { sampleOrder } from "../../deploy/workflows/order/definition";
import { CAPTURE_ROUNDS, LOOKUP_BOUNDS } from "../../deploy/workflows/order/payment/stripe";
import { testOrderDefinition } from "../helpers/asl";

const definition = testOrderDefinition();
type Rec = Record<string, unknown>;

const engines = new Map<string, Engine>();
/** An engine whose machine is state `name` followed by a Succeed state for each of its targets. */
function engineFor(name: string): Engine {
    const state = definition.States[name] as State & { Choices?: { Next: string }[]; Default?: string; Next?: string };
    const targets = new Set([...(state.Choices ?? []).map((c) => c.Next), state.Default, state.Next].filter((n): n is string => n !== undefined));
    const States: Rec = { [name]: state };
    for (const target of targets) States[target] = { Type: "Succeed" };
    if (!engines.has(name)) engines.set(name, new Engine({ StartAt: name, States }));
    return engines.get(name)!;
}

/** Runs state `name` alone on `input`: the state it leads to and its output (or the error it failed with). */
async function runState(name: string, input: unknown): Promise<{ next: string; output: Rec; error?: string }> {
    const result = await engineFor(name).run(input);
    const entered = result.events.filter((e) => e.type.endsWith("StateEntered")).map((e) => e.name);
    return { next: String(entered[1]), output: result.output as Rec, ...(result.error ? { error: result.error } : {}) };
}

const PI = "pi_3MtwBwLkdIwHu7ix28a3tqPa";
const order = { ...sampleOrder, orderId: "ord-1" };
const intent = (status: string, changes: Rec = {}) => ({
    id: PI,
    object: "payment_intent",
    status,
    amount: order.amount,
    currency: "eur",
    metadata: { order_id: order.orderId },
    last_payment_error: null,
    ...changes,
});
const answered = (body: unknown, extra: Rec = {}) => ({ ...order, ...extra, authorization: { StatusCode: 200, ResponseBody: body } });
const failed = (status: number, cause: unknown, extra: Rec = {}) => ({
    ...order,
    ...extra,
    failure: { Error: `States.Http.StatusCode.${status}`, Cause: cause },
});
const searched = (data: unknown, extra: Rec = {}) => ({ ...order, ...extra, search: { StatusCode: 200, ResponseBody: { object: "search_result", data } } });

describe("Stripe payment decisions", () => {
    describe("CheckAuthorization", () => {
        it("goes on with this order's requires_capture intent, keeping only its id and the capture round", async () => {
            const { next, output } = await runState("CheckAuthorization", answered(intent("requires_capture")));
            assert.equal(next, "ReserveInventory");
            assert.deepEqual(output, { ...order, payment: { intentId: PI, attempt: 1 } });
        });

        describe("a captured intent (an earlier run completed the order): never reserved, shipped or compensated again (issue 15)", () => {
            const captured = (amountRefunded: unknown, changes: Rec = {}) =>
                answered(
                    intent("succeeded", {
                        amount_received: order.amount,
                        latest_charge: { id: "ch_1", object: "charge", amount_refunded: amountRefunded, refunded: amountRefunded === order.amount },
                        ...changes,
                    }),
                );
            it("nothing refunded: the re-run ends completed, with nothing to call", async () => {
                const { next, output } = await runState("CheckAuthorization", captured(0));
                assert.equal(next, "OrderCompleted");
                assert.equal((output.payment as Rec).intentId, PI);
                assert.equal((output.payment as Rec).outcome, undefined);
                assert.equal(output.authorization, undefined);
            });
            it("refunded in full: OrderCancelled (no outcome), nothing undone again", async () => {
                const { next, output } = await runState("CheckAuthorization", captured(order.amount));
                assert.deepEqual([next, (output.payment as Rec).outcome], ["DecideOutcome", undefined]);
                assert.match(String((output.payment as Rec).reason), /refunded in full/);
            });
            it("partly refunded: left to a person (mismatch)", async () => {
                const { next, output } = await runState("CheckAuthorization", captured(100));
                assert.deepEqual([next, (output.payment as Rec).outcome], ["DecideOutcome", "mismatch"]);
            });
            it("charge not readable (not expanded, or the re-read failed): PaymentStateUnknown, nothing called", async () => {
                for (const body of [captured(undefined), captured(0, { latest_charge: "ch_1" }), captured("0")]) {
                    const { next, output } = await runState("CheckAuthorization", body);
                    assert.deepEqual([next, (output.payment as Rec).outcome], ["DecideOutcome", "unknown"]);
                }
            });
        });

        it("tells authentication apart from a decline, and undoes both", async () => {
            const needsAction = await runState("CheckAuthorization", answered(intent("requires_action")));
            assert.deepEqual([needsAction.next, (needsAction.output.payment as Rec).outcome], ["ReadPaymentIntent", "authentication"]);
            const authError = await runState(
                "CheckAuthorization",
                answered(intent("requires_payment_method", { last_payment_error: { code: "authentication_required" } })),
            );
            assert.equal((authError.output.payment as Rec).outcome, "authentication");
            const declined = await runState(
                "CheckAuthorization",
                answered(intent("requires_payment_method", { last_payment_error: { code: "card_declined", decline_code: "insufficient_funds" } })),
            );
            assert.equal(declined.next, "ReadPaymentIntent");
            assert.deepEqual(declined.output.payment, {
                intentId: PI,
                outcome: "declined",
                reason: "Stripe did not authorize the payment: insufficient_funds",
            });
        });

        const mismatches: [string, Rec][] = [
            ["another order's intent", { metadata: { order_id: "ord-2" } }],
            ["an intent without order_id", { metadata: {} }],
            ["another amount", { amount: order.amount + 1 }],
            ["another currency", { currency: "usd" }],
        ];
        for (const [what, changes] of mismatches)
            it(`leaves ${what} untouched and ends PaymentMismatch`, async () => {
                const { next, output } = await runState("CheckAuthorization", answered(intent("requires_capture", changes)));
                assert.equal(next, "DecideOutcome");
                assert.equal((output.payment as Rec).outcome, "mismatch");
                assert.equal((output.payment as Rec).intentId, undefined, "nothing to undo");
            });

        it("compares the storefront's intent id with the order's paymentIntentId", async () => {
            const client = { paymentMethod: undefined, paymentIntentId: "pi_other1" };
            const { next, output } = await runState("CheckAuthorization", answered(intent("requires_capture"), client));
            assert.deepEqual([next, (output.payment as Rec).outcome], ["DecideOutcome", "mismatch"]);
        });

        it("searches for the intent when the create call's 2xx answer is unusable, and releases an unreadable storefront intent", async () => {
            for (const body of [
                "",
                "<html>bad gateway</html>",
                null,
                [intent("requires_capture")],
                { status: "requires_capture" },
                intent("requires_capture", { id: "pi_1/../refunds" }),
            ]) {
                const created = await runState("CheckAuthorization", answered(body));
                assert.equal(created.next, "WaitForPaymentIntent", JSON.stringify(body));
                assert.deepEqual(created.output.lookup, { purpose: "unknown", round: 0, wait: LOOKUP_BOUNDS.unknown.seconds });
                const client = await runState("CheckAuthorization", answered(body, { paymentMethod: undefined, paymentIntentId: PI }));
                assert.equal(client.next, "ReadPaymentIntent");
                assert.deepEqual([(client.output.payment as Rec).intentId, (client.output.payment as Rec).outcome], [PI, "unavailable"]);
            }
        });
    });

    describe("ReadRefusal (Stripe's error classes)", () => {
        const stripeError = (error: Rec) => JSON.stringify({ StatusCode: 402, ResponseBody: { error } });

        it("402 card_error with the intent in the cause: declined with the decline code, intent undone", async () => {
            const cause = stripeError({
                type: "card_error",
                code: "card_declined",
                decline_code: "insufficient_funds",
                payment_intent: intent("requires_payment_method"),
            });
            const { next, output } = await runState("ReadRefusal", failed(402, cause));
            assert.equal(next, "ReadPaymentIntent");
            assert.deepEqual(output.payment, { intentId: PI, outcome: "declined", reason: "Stripe declined the payment: insufficient_funds" });
            assert.equal(output.failure, undefined);
        });

        it("402 authentication_required (or error_on_requires_action's decline codes): the authentication outcome, not a decline", async () => {
            for (const error of [
                { code: "authentication_required" },
                { code: "card_declined", decline_code: "authentication_not_handled" },
                { code: "card_declined", decline_code: "requires_action_not_handled" },
            ]) {
                const cause = stripeError({ type: "card_error", ...error, payment_intent: intent("requires_payment_method") });
                const { output } = await runState("ReadRefusal", failed(402, cause));
                assert.equal((output.payment as Rec).outcome, "authentication", JSON.stringify(error));
            }
        });

        it("finds the intent's id in a cause however Stripe orders the intent's fields (nested objects first)", async () => {
            const { id, ...fields } = intent("requires_payment_method");
            const cause = JSON.stringify({
                error: {
                    type: "card_error",
                    code: "card_declined",
                    payment_intent: { amount_details: { tip: {} }, ...fields, latest_charge: { id: "ch_1" }, id },
                },
            });
            const { next, output } = await runState("ReadRefusal", failed(402, cause));
            assert.deepEqual([next, (output.payment as Rec).intentId], ["ReadPaymentIntent", PI]);
        });

        it("402 with only the status text: looks the declined intent up (briefly) to read why and cancel it", async () => {
            const { next, output } = await runState("ReadRefusal", failed(402, "Payment Required"));
            assert.equal(next, "WaitForPaymentIntent");
            assert.deepEqual(output.lookup, { purpose: "declined", round: 0, wait: LOOKUP_BOUNDS.declined.seconds });
        });

        for (const status of [400, 401, 403, 404])
            it(`${status} is our request's fault: PaymentRequestFailed, never a decline`, async () => {
                const cause = JSON.stringify({ error: { type: status === 400 ? "idempotency_error" : "invalid_request_error", message: "x" } });
                const { next, output } = await runState("ReadRefusal", failed(status, cause));
                assert.equal(next, "DecideOutcome");
                assert.equal((output.payment as Rec).outcome, "request");
                assert.match(String((output.payment as Rec).reason), new RegExp(`^Stripe refused the request \\(States.Http.StatusCode.${status}`));
            });

        it("a 400 that names an intent (payment_intent_unexpected_state) undoes it", async () => {
            const cause = JSON.stringify({
                error: { type: "invalid_request_error", code: "payment_intent_unexpected_state", payment_intent: intent("requires_confirmation") },
            });
            const { next, output } = await runState("ReadRefusal", failed(400, cause));
            assert.deepEqual([next, (output.payment as Rec).intentId, (output.payment as Rec).outcome], ["ReadPaymentIntent", PI, "request"]);
        });

        for (const error of ["States.Http.StatusCode.500", "States.Http.StatusCode.409", "States.Http.Socket", "States.Timeout"])
            it(`${error} after the retries: the outcome is unknown, so the intent is looked for, never created again`, async () => {
                const { next, output } = await runState("ReadRefusal", { ...order, failure: { Error: error, Cause: "x" } });
                assert.deepEqual([next, output.lookup], ["WaitForPaymentIntent", { purpose: "unknown", round: 0, wait: LOOKUP_BOUNDS.unknown.seconds }]);
                const client = await runState("ReadRefusal", {
                    ...order,
                    paymentMethod: undefined,
                    paymentIntentId: PI,
                    failure: { Error: error, Cause: "x" },
                });
                assert.deepEqual([client.next, (client.output.payment as Rec).outcome], ["ReadPaymentIntent", "unavailable"]);
            });
    });

    describe("ReadSearchResult", () => {
        it("before creating: nothing found means create, with the currency lower-cased and a key that hashes the request", async () => {
            const { next, output } = await runState("ReadSearchResult", searched([]));
            assert.equal(next, "AuthorizePayment");
            const request = output.stripeRequest as { currency: string; idempotencyKey: string };
            assert.equal(request.currency, "eur");
            assert.match(request.idempotencyKey, /^authorize-ord-1-[0-9a-f]{32}$/);
            const again = (await runState("ReadSearchResult", searched([]))).output.stripeRequest as Rec;
            assert.equal(again.idempotencyKey, request.idempotencyKey, "the same request gets the same key");
            for (const changed of [{ amount: order.amount + 10 }, { currency: "usd" }, { paymentMethod: "pm_card_mastercard" }]) {
                const other = (await runState("ReadSearchResult", { ...searched([]), ...changed })).output.stripeRequest as Rec;
                assert.notEqual(other.idempotencyKey, request.idempotencyKey, JSON.stringify(changed));
            }
        });

        it("continues from this order's intent when search finds one (a re-run after Stripe pruned the keys), ignoring others", async () => {
            const { next, output } = await runState(
                "ReadSearchResult",
                searched([intent("requires_capture", { id: "pi_x1", metadata: { order_id: "ord-2" } }), intent("requires_capture")]),
            );
            // Read again by id with its charge: search is eventually consistent and does not expand latest_charge.
            assert.equal(next, "ReadFoundPaymentIntent");
            assert.equal(((output.authorization as Rec).ResponseBody as Rec).id, PI);
        });

        it("a failed search before creating ends PaymentUnavailable with nothing created", async () => {
            const { next, output } = await runState("ReadSearchResult", { ...order, searchFailure: { Error: "States.Http.StatusCode.503", Cause: "x" } });
            assert.deepEqual([next, (output.payment as Rec).outcome], ["DecideOutcome", "unavailable"]);
        });

        it("after an unknown outcome: searches again until the bound, then PaymentStateUnknown; a declined lookup ends declined", async () => {
            const lookup = (purpose: string, round: number) => ({ lookup: { purpose, round, wait: 1 } });
            const next = await runState("ReadSearchResult", searched([], lookup("unknown", 3)));
            assert.deepEqual([next.next, next.output.lookup], ["WaitForPaymentIntent", { purpose: "unknown", round: 4, wait: 1 }]);
            const failedSearch = await runState("ReadSearchResult", {
                ...order,
                ...lookup("unknown", 0),
                searchFailure: { Error: "States.Http.StatusCode.500" },
            });
            assert.equal(failedSearch.next, "WaitForPaymentIntent");
            const last = await runState("ReadSearchResult", searched([], lookup("unknown", LOOKUP_BOUNDS.unknown.rounds - 1)));
            assert.deepEqual([last.next, (last.output.payment as Rec).outcome, last.output.lookup], ["DecideOutcome", "unknown", undefined]);
            const declined = await runState("ReadSearchResult", searched([], lookup("declined", LOOKUP_BOUNDS.declined.rounds - 1)));
            assert.deepEqual([declined.next, (declined.output.payment as Rec).outcome], ["DecideOutcome", "declined"]);
            const found = await runState("ReadSearchResult", searched([intent("requires_capture")], lookup("unknown", 5)));
            assert.deepEqual([found.next, found.output.lookup], ["ReadFoundPaymentIntent", undefined]);
        });
    });

    describe("ChooseAfterCapture", () => {
        const read = (body: unknown, attempt = 1, failure = "States.Http.StatusCode.503") => ({
            ...order,
            payment: { intentId: PI, attempt },
            captureFailure: { Error: failure, Cause: "x" },
            captureState: { StatusCode: 200, ResponseBody: body },
        });
        const charge = (before: number) => ({ latest_charge: { payment_method_details: { card: { capture_before: before } } } });
        const inAWeek = Math.floor(Date.now() / 1000) + 6 * 86_400;

        it("a capture that took effect although every answer failed completes the order", async () => {
            const { next, output } = await runState("ChooseAfterCapture", read(intent("succeeded")));
            assert.deepEqual([next, output.captureFailure, output.captureState], ["NotifyCustomer", undefined, undefined]);
        });

        it("a capturable intent is tried again later (with a new round for the key), paging each round, while the authorization lasts", async () => {
            for (const body of [intent("requires_capture", charge(inAWeek)), intent("requires_capture"), "<html>", intent("processing")]) {
                const { next, output } = await runState("ChooseAfterCapture", read(body, 3));
                assert.equal(next, "ReportCaptureDelayed", JSON.stringify(body));
                assert.deepEqual(output.payment, { intentId: PI, attempt: 4, lastCaptureError: "States.Http.StatusCode.503" });
            }
        });

        it("no longer capturable (cancelled, expired, past capture_before or out of rounds): PaymentNotCapturable with what to do", async () => {
            const past = Math.floor(Date.now() / 1000) + 60;
            for (const [body, attempt] of [
                [intent("canceled"), 1],
                [intent("requires_capture", charge(past)), 1],
                [intent("requires_capture"), CAPTURE_ROUNDS.rounds],
            ] as const) {
                const { next, output } = await runState("ChooseAfterCapture", read(body, attempt));
                assert.equal(next, "PaymentNotCapturable", JSON.stringify(body));
                assert.match(
                    String((output.payment as Rec).reason),
                    /^The goods were shipped but PaymentIntent pi_\w+ could not be captured .*ask the customer to pay again/,
                );
            }
        });
    });

    describe("ChooseUndo and CheckRefund", () => {
        const undo = (body: unknown) => runState("ChooseUndo", { ...order, payment: { intentId: PI }, intentState: { ResponseBody: body } });

        it("refunds this order's captured intent, cancels an uncaptured one, stops at a cancelled one, reports anything else", async () => {
            assert.equal((await undo(intent("succeeded"))).next, "RefundPayment");
            for (const status of ["requires_capture", "requires_action", "requires_payment_method", "requires_confirmation", "processing"])
                assert.equal((await undo(intent(status))).next, "CancelPaymentIntent", status);
            const cancelled = await undo(intent("canceled"));
            assert.deepEqual([cancelled.next, cancelled.output.paymentCompensationFailure], ["DecideOutcome", undefined]);
            for (const odd of [{ status: "refunded", metadata: { order_id: "ord-1" } }, 7, null, "x"]) {
                const result = await undo(odd);
                assert.equal(result.next, "DecideOutcome");
                assert.equal((result.output.paymentCompensationFailure as Rec).Error, "UnexpectedPaymentState");
            }
        });

        it("never cancels or refunds another order's intent (a storefront id naming someone else's payment)", async () => {
            for (const status of ["succeeded", "requires_capture"]) {
                const { next, output } = await undo(intent(status, { metadata: { order_id: "ord-2" } }));
                assert.deepEqual([next, (output.payment as Rec).outcome, output.paymentCompensationFailure], ["DecideOutcome", "mismatch", undefined]);
            }
        });

        it("CheckRefund: succeeded and pending refunds are done; failed, canceled or unreadable ones need a person", async () => {
            for (const status of ["succeeded", "pending"]) {
                const { output } = await runState("CheckRefund", { ...order, refund: { ResponseBody: { status } } });
                assert.deepEqual(output, order, status);
            }
            for (const status of ["failed", "canceled", "requires_action", undefined]) {
                const { output } = await runState("CheckRefund", { ...order, refund: { ResponseBody: { status } } });
                assert.equal((output.paymentCompensationFailure as Rec).Error, "RefundNotCompleted", String(status));
            }
        });
    });

    it("never throws on 200 seeded random answers, and only routes to a URL-building state with a checked id", async () => {
        const random = seededRandom(7);
        const values: unknown[] = [null, 0, "", "x", "pi_ok1", "pi_/x", "requires_capture", "succeeded", "ord-1", 2599, "eur", [], {}, true];
        const pick = () => values[Math.floor(random() * values.length)];
        const urlStates = new Set(["ReadPaymentIntent", "ReserveInventory"]);
        for (let i = 0; i < 200; i++) {
            const body =
                random() < 0.2
                    ? pick()
                    : {
                          id: pick(),
                          status: pick(),
                          amount: pick(),
                          currency: pick(),
                          metadata: { order_id: pick() },
                          last_payment_error: random() < 0.5 ? pick() : { code: pick() },
                      };
            for (const [name, input] of [
                ["CheckAuthorization", answered(body)],
                [
                    "ReadRefusal",
                    failed(random() < 0.5 ? 402 : 500, random() < 0.5 ? JSON.stringify({ error: { code: pick(), payment_intent: body } }) : pick()),
                ],
                ["ReadSearchResult", searched(random() < 0.5 ? [body] : pick())],
                ["ChooseAfterCapture", { ...order, payment: { intentId: PI, attempt: pick() }, captureState: { ResponseBody: body } }],
            ] as const) {
                const result = await runState(name, input);
                assert.equal(result.error, undefined, `${name} threw on ${JSON.stringify(input)}`);
                if (urlStates.has(result.next)) assert.match(String((result.output.payment as Rec).intentId), /^pi_[A-Za-z0-9]+$/, name);
            }
        }
    });
});
