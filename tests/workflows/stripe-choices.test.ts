/**
 * The Stripe module's JSONata Choice states, evaluated with jsonata 2.0.6 as Step Functions does:
 * where each answer leads, what the state keeps, and that no answer (however malformed) can make
 * them throw or put an unchecked id into a URL. Pure: no HTTP.
 */
import * as assert from "node:assert/strict";
import { jsonataChoiceHandler } from "../../local/emulator/jsonata";
import { seededRandom } from "../../local/sandbox/faults";
import { ChoiceState } from "../../asl/types";
import { sampleOrder } from "../../workflows/order";
import { testOrderDefinition } from "../helpers/asl";

const definition = testOrderDefinition();
type Rec = Record<string, unknown>;

/** Runs Choice state `name` on `input`: the next state and the output. */
async function choose(name: string, input: Rec): Promise<{ next: string; output: Rec }> {
    const state = definition.States[name] as ChoiceState;
    const { rule, output } = await jsonataChoiceHandler(state as unknown as Rec)(input);
    return { next: rule < 0 ? state.Default! : state.Choices[rule].Next, output: output as Rec };
}
const authorized = (body: unknown) => ({ ...sampleOrder, authorization: { StatusCode: 200, StatusText: "OK", Headers: {}, ResponseBody: body } });
const intent = (status: string, id = "pi_3MtwBwLkdIwHu7ix28a3tqPa") => ({ id, object: "payment_intent", status, last_payment_error: null });

describe("Stripe payment choices", () => {
    it("CheckAuthorization: requires_capture goes on with only the intent id kept", async () => {
        const { next, output } = await choose("CheckAuthorization", authorized(intent("requires_capture")));
        assert.equal(next, "ReserveInventory");
        assert.deepEqual(output, { ...sampleOrder, payment: { intentId: "pi_3MtwBwLkdIwHu7ix28a3tqPa" } });
    });

    it("CheckAuthorization: any other status is declined with Stripe's status as the reason, after undoing the intent", async () => {
        const { next, output } = await choose(
            "CheckAuthorization",
            authorized({ ...intent("requires_payment_method"), last_payment_error: { code: "card_declined" } }),
        );
        assert.equal(next, "ReadPaymentIntent");
        assert.deepEqual(output.payment, {
            intentId: "pi_3MtwBwLkdIwHu7ix28a3tqPa",
            declined: true,
            reason: "Stripe did not authorize the payment: the PaymentIntent is requires_payment_method (card_declined)",
        });
    });

    const unusable: [string, unknown][] = [
        ["an empty body", ""],
        ["an HTML page", "<html>bad gateway</html>"],
        ["null", null],
        ["an array", [intent("requires_capture")]],
        ["an intent without id", { status: "requires_capture" }],
        ["a path-like id", intent("requires_capture", "pi_1/../../refunds")],
        ["an id with a query", intent("requires_capture", "pi_1?x=1")],
        ["a numeric id", { ...intent("requires_capture"), id: 42 }],
        ["a charge instead of an intent", intent("requires_capture", "ch_3MtwBwLkdIwHu7ix28a3tqPa")],
    ];
    for (const [what, body] of unusable) {
        it(`CheckAuthorization: ${what} is recovered, never used in a URL`, async () => {
            const { next, output } = await choose("CheckAuthorization", authorized(body));
            assert.equal(next, "RecoverPaymentIntent");
            assert.deepEqual(output, sampleOrder);
            const recovered = await choose("CheckRecoveredAuthorization", authorized(body));
            assert.equal(recovered.next, "DecideOutcome");
            assert.equal((recovered.output.paymentRecoveryFailure as Rec).Error, "PaymentStateUnknown");
        });
    }

    it("ReadDecline: uses Stripe's decline code and undoes the intent when the cause carries Stripe's answer", async () => {
        const answer = {
            error: { type: "card_error", code: "card_declined", decline_code: "insufficient_funds", payment_intent: intent("requires_payment_method") },
        };
        for (const cause of [JSON.stringify(answer), JSON.stringify({ StatusCode: 402, ResponseBody: answer })]) {
            const { next, output } = await choose("ReadDecline", { ...sampleOrder, failure: { Error: "States.Http.StatusCode.402", Cause: cause } });
            assert.equal(next, "ReadPaymentIntent");
            assert.deepEqual(output, {
                ...sampleOrder,
                payment: { intentId: "pi_3MtwBwLkdIwHu7ix28a3tqPa", declined: true, reason: "Stripe declined the payment: insufficient_funds" },
            });
        }
    });

    it("ReadDecline: with only the status text, declines with it and cancels nothing", async () => {
        const { next, output } = await choose("ReadDecline", { ...sampleOrder, failure: { Error: "States.Http.StatusCode.402", Cause: "Payment Required" } });
        assert.equal(next, "DecideOutcome");
        assert.deepEqual(output.payment, { declined: true, reason: "Stripe declined the payment (States.Http.StatusCode.402: Payment Required)" });
    });

    it("ChooseUndo: refunds a captured intent, cancels an uncaptured one, stops at a cancelled one, reports anything else", async () => {
        const undo = (status: unknown) => choose("ChooseUndo", { ...sampleOrder, payment: { intentId: "pi_1" }, intentState: { ResponseBody: { status } } });
        assert.equal((await undo("succeeded")).next, "RefundPayment");
        for (const status of ["requires_capture", "requires_action", "requires_payment_method", "requires_confirmation", "processing"])
            assert.equal((await undo(status)).next, "CancelPaymentIntent", status);
        const cancelled = await undo("canceled");
        assert.deepEqual([cancelled.next, cancelled.output.paymentCompensationFailure], ["DecideOutcome", undefined]);
        for (const odd of ["refunded", 7, null, undefined]) {
            const result = await undo(odd);
            assert.equal(result.next, "DecideOutcome");
            assert.equal((result.output.paymentCompensationFailure as Rec).Error, "UnexpectedPaymentState");
        }
        assert.equal((await undo("succeeded")).output.intentState, undefined);
    });

    it("never throws on 500 seeded random answers, and only routes to a URL-building state with a checked id", async () => {
        const random = seededRandom(7);
        const values: unknown[] = [null, 0, "", "x", "pi_ok1", "pi_/x", "requires_capture", "succeeded", [], {}, true];
        const pick = () => values[Math.floor(random() * values.length)];
        for (let i = 0; i < 500; i++) {
            const body = random() < 0.2 ? pick() : { id: pick(), status: pick(), last_payment_error: random() < 0.5 ? pick() : { code: pick() } };
            const { next, output } = await choose("CheckAuthorization", authorized(body));
            if (next === "ReserveInventory" || next === "ReadPaymentIntent") assert.match(String((output.payment as Rec).intentId), /^pi_[A-Za-z0-9]+$/);
            const cause = random() < 0.5 ? JSON.stringify({ error: { decline_code: pick(), payment_intent: body } }) : String(pick());
            const decline = await choose("ReadDecline", { ...sampleOrder, failure: { Error: "States.Http.StatusCode.402", Cause: cause } });
            assert.equal(typeof (decline.output.payment as Rec).reason, "string");
            if (decline.next === "ReadPaymentIntent") assert.match(String((decline.output.payment as Rec).intentId), /^pi_[A-Za-z0-9]+$/);
        }
    });
});
