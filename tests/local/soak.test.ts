/**
 * A short seeded soak inside `npm test` (the long one is `npm run soak`), and the invariant checker
 * itself, fed ledgers that break each invariant so a broken saga cannot pass unnoticed.
 */
import * as assert from "node:assert/strict";
import { checkInvariants, runSoak, SoakExecution } from "../../local/soak-check";
import { Ledger, LedgerKind } from "../../local/sandbox/ledger";

function ledgerOf(entries: [string, LedgerKind, string?, string?][]): Ledger {
    const ledger = new Ledger();
    for (const [orderId, kind, id, detail] of entries) ledger.record({ api: "test", kind, orderId, ...(id ? { id } : {}), ...(detail ? { detail } : {}) });
    return ledger;
}
const ok = (orderId: string): SoakExecution => ({ orderId, kind: "normal", expectInvalid: false, status: "SUCCEEDED" });
const failed = (orderId: string, error = "OrderCancelled", expectInvalid = false): SoakExecution => ({
    orderId,
    kind: "normal",
    expectInvalid,
    status: "FAILED",
    error,
});

describe("local soak", () => {
    it("keeps every invariant over 400 seeded orders, hostile ones included, with 20% injected faults", async () => {
        const report = await runSoak({ orders: 400, faultRate: 0.2, seed: 20240601 });
        assert.deepEqual(report.violations, []);
        assert.equal(report.counts.orders, 400);
        assert.ok(report.counts["ledger fault"] > 50, `faults were injected (${report.counts["ledger fault"]})`);
        assert.ok(report.counts["failed InvalidOrder"] > 30, `hostile orders were sent (${report.counts["failed InvalidOrder"]})`);
        const failedTotal = Object.entries(report.counts)
            .filter(([k]) => k.startsWith("failed "))
            .reduce((n, [, v]) => n + v, 0);
        assert.equal(report.counts.succeeded + failedTotal, 400);
        assert.equal(report.counts["ledger shipment"] - report.counts["ledger shipment-cancel"], report.counts.succeeded);
        assert.equal(report.counts["ledger capture"] - report.counts["ledger refund"], report.counts.succeeded);
    });

    it("keeps every invariant when every injected 500 happens after the API did its work", async () => {
        const report = await runSoak({ orders: 300, faultRate: 0.3, seed: 7, afterEffectShare: 1 });
        assert.deepEqual(report.violations, []);
        assert.ok(report.counts["ledger cancel"] > 0 && report.counts["ledger refund"] >= 0);
    });

    it("accepts a clean ledger", () => {
        const ledger = ledgerOf([
            ["a", "authorization", "pi_a"],
            ["a", "reservation"],
            ["a", "shipment"],
            ["a", "capture", "pi_a"],
            ["b", "authorization", "pi_b"],
            ["b", "reservation"],
            ["b", "release"],
            ["b", "cancel", "pi_b"],
            ["c", "decline", "pi_c"],
            ["d", "authorization", "pi_d"],
            ["d", "capture", "pi_d"],
            ["d", "refund", "re_d", "pi_d"],
        ]);
        assert.deepEqual(checkInvariants([ok("a"), failed("b"), failed("c", "PaymentDeclined"), failed("d")], ledger), []);
    });

    const broken: [string, SoakExecution, [string, LedgerKind, string?, string?][], string][] = [
        ["an unnamed error", failed("a", "States.Runtime"), [], "a: FAILED with an unnamed error `States.Runtime`"],
        ["a valid order rejected", failed("a", "InvalidOrder"), [], "a: the order schema says valid but the execution ended InvalidOrder"],
        [
            "an invalid order accepted",
            { ...failed("a", "PaymentDeclined"), expectInvalid: true },
            [],
            "a: the order schema says invalid but the execution ended PaymentDeclined",
        ],
        ["an invalid order that reached an API", failed("a", "InvalidOrder", true), [["a", "decline", "pi_a"]], "a: InvalidOrder after 1 API effect(s)"],
        [
            "a double capture",
            failed("a"),
            [
                ["a", "authorization", "pi_a"],
                ["a", "capture", "pi_a"],
                ["a", "capture", "pi_a"],
                ["a", "refund", "re_a", "pi_a"],
            ],
            "a: captured 2 times",
        ],
        ["a failed order left authorized", failed("a"), [["a", "authorization", "pi_a"]], "a: FAILED (OrderCancelled) with PaymentIntent pi_a not cancelled"],
        [
            "a failed order left charged",
            failed("a"),
            [
                ["a", "authorization", "pi_a"],
                ["a", "capture", "pi_a"],
            ],
            "a: FAILED (OrderCancelled) with PaymentIntent pi_a captured and not refunded",
        ],
        [
            "a 3-D Secure intent left open",
            failed("a", "PaymentDeclined"),
            [["a", "requires-action", "pi_a"]],
            "a: FAILED (PaymentDeclined) with PaymentIntent pi_a not cancelled",
        ],
        ["a reservation left held", failed("a"), [["a", "reservation"]], "a: FAILED (OrderCancelled) with 1 reservation(s) still held"],
        [
            "a success without a shipment",
            ok("a"),
            [
                ["a", "authorization", "pi_a"],
                ["a", "reservation"],
                ["a", "capture", "pi_a"],
            ],
            "a: SUCCEEDED with 1 authorization(s), 1 capture(s), 1 reservation(s), 0 shipment(s); expected one of each",
        ],
    ];
    for (const [what, execution, entries, message] of broken) {
        it(`reports ${what}`, () => {
            assert.deepEqual(checkInvariants([execution], ledgerOf(entries)), [message]);
        });
    }
});
