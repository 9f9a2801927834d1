/**
 * `npm run soak -- --orders <n> --fault-rate <p> [--seed <s>] [--concurrency <c>]
 * [--after-effect-share <x>]`: many seeded orders against faulty sandbox APIs, then the saga's
 * invariants checked from the sandbox ledger. Prints the counts and every violation; exits 0 when
 * clean, 1 on any violation, 2 for bad usage. The last line is the counts as JSON.
 */
import { numberOption, parseCommandLine, printUsage, runCommand } from "./command-line";
import { runSoak } from "../soak/soak-check";
import { formatTable } from "./trace";

const USAGE = "usage: npm run soak -- --orders <n> --fault-rate <p> [--seed <s>] [--concurrency <c>] [--after-effect-share <x>]";

async function main(argv: readonly string[]): Promise<number> {
    const values = parseCommandLine(argv, {
        orders: { type: "string" },
        "fault-rate": { type: "string" },
        seed: { type: "string", default: "1" },
        concurrency: { type: "string", default: "16" },
        "after-effect-share": { type: "string", default: "0" },
    });
    if (values === "help") return printUsage(USAGE);
    const options = {
        orders: numberOption(values.orders, "orders", (n) => Number.isInteger(n) && n >= 1 && n <= 1_000_000, "an integer from 1 to 1000000"),
        faultRate: numberOption(values["fault-rate"], "fault-rate", (n) => n >= 0 && n < 1, "a probability in [0, 1)"),
        seed: numberOption(values.seed, "seed", Number.isSafeInteger, "a whole number"),
        concurrency: numberOption(values.concurrency, "concurrency", (n) => Number.isInteger(n) && n >= 1 && n <= 1024, "an integer from 1 to 1024"),
        afterEffectShare: numberOption(values["after-effect-share"], "after-effect-share", (n) => n >= 0 && n <= 1, "a share in [0, 1]"),
    };
    console.log(
        `Soak: ${options.orders} orders, fault rate ${options.faultRate} (429/500/503/slow everywhere; on Stripe also stored 500s, 409, idempotency_error and search lag; ${options.afterEffectShare * 100}% of 500s after the effect; 5% of orders re-run after key expiry), seed ${options.seed}, concurrency ${options.concurrency}; retry waits shortened to 0 ms.`,
    );
    const started = performance.now();
    const report = await runSoak(options);
    const seconds = (performance.now() - started) / 1000;
    formatTable([["count", "value"], ...Object.entries(report.counts).map(([k, v]) => [k, String(v)])]).forEach((l) => console.log(l));
    console.log(`${report.counts.orders} orders in ${seconds.toFixed(1)} s.`);
    if (report.violations.length === 0)
        console.log(
            "Invariants: all hold (named errors, InvalidOrder exactly when the schema says so and before any call, one PaymentIntent per order, no double authorization/capture/refund, nothing captured for an order that did not complete, every failed order's intents cancelled or refunded, no reservation held, no shipment left, one of each per success, re-runs after key expiry move no money).",
        );
    else {
        console.log(`Invariants: ${report.violations.length} violation(s):`);
        report.violations.slice(0, 50).forEach((v) => console.log(`  - ${v}`));
    }
    console.log(JSON.stringify({ ...report.counts, violations: report.violations.length }));
    return report.violations.length === 0 ? 0 : 1;
}

runCommand(main, USAGE, "soak", module);
