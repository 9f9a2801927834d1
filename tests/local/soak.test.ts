/**
 * A short seeded soak inside `npm test` (the long one is `npm run soak`), and the invariant checker
 * itself, fed ledgers that break each invariant so a broken saga cannot pass unnoticed.
 */
import * as assert from "node:assert/strict";
import { checkInvariants, runSoak, SoakExecution } from "../../local/soak-check";
import { Ledger, LedgerKind } from "../../local/sandbox/ledger";

function ledgerOf(entries: [string, LedgerKind][]): Ledger {
    const ledger = new Ledger();
    for (const [orderId, kind] of entries) ledger.record({ api: "test", kind, orderId });
    return ledger;
}
const ok = (orderId: string): SoakExecution => ({ orderId, kind: "normal", status: "SUCCEEDED" });
const failed = (orderId: string, error = "OrderCancelled"): SoakExecution => ({ orderId, kind: "normal", status: "FAILED", error });

describe("local soak", () => {
    it("keeps every invariant over 400 seeded orders with 20% injected faults", async () => {
        const report = await runSoak({ orders: 400, faultRate: 0.2, seed: 20240601 });
        assert.deepEqual(report.violations, []);
        assert.equal(report.counts.orders, 400);
        assert.ok(report.counts["ledger fault"] > 50, `faults were injected (${report.counts["ledger fault"]})`);
        const failedTotal = Object.entries(report.counts)
            .filter(([k]) => k.startsWith("failed "))
            .reduce((n, [, v]) => n + v, 0);
        assert.equal(report.counts.succeeded + failedTotal, 400);
        assert.equal(report.counts["ledger shipment"], report.counts.succeeded);
        assert.equal(report.counts["ledger charge"] - report.counts["ledger refund"], report.counts.succeeded);
    });

    it("accepts a clean ledger", () => {
        const ledger = ledgerOf([
            ["a", "charge"],
            ["a", "reservation"],
            ["a", "shipment"],
            ["b", "charge"],
            ["b", "reservation"],
            ["b", "release"],
            ["b", "refund"],
            ["c", "decline"],
        ]);
        assert.deepEqual(checkInvariants([ok("a"), failed("b"), failed("c", "PaymentDeclined")], ledger), []);
    });

    const broken: [string, SoakExecution, [string, LedgerKind][], string][] = [
        ["an unnamed error", failed("a", "States.Runtime"), [], "a: FAILED with an unnamed error `States.Runtime`"],
        [
            "a double charge",
            failed("a"),
            [
                ["a", "charge"],
                ["a", "charge"],
                ["a", "refund"],
            ],
            "a: charged 2 times",
        ],
        ["a failed order left charged", failed("a"), [["a", "charge"]], "a: FAILED (OrderCancelled) after a charge, refunded 0 times"],
        [
            "a failed order refunded twice",
            failed("a"),
            [
                ["a", "charge"],
                ["a", "refund"],
                ["a", "refund"],
            ],
            "a: FAILED (OrderCancelled) after a charge, refunded 2 times",
        ],
        ["a reservation left held", failed("a"), [["a", "reservation"]], "a: FAILED (OrderCancelled) with 1 reservation(s) still held"],
        [
            "a success without a shipment",
            ok("a"),
            [
                ["a", "charge"],
                ["a", "reservation"],
            ],
            "a: SUCCEEDED with 1 charge(s), 1 reservation(s), 0 shipment(s); expected one of each",
        ],
    ];
    for (const [what, execution, entries, message] of broken) {
        it(`reports ${what}`, () => {
            assert.deepEqual(checkInvariants([execution], ledgerOf(entries)), [message]);
        });
    }
});
