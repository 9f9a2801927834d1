/**
 * Stripe's amount and currency rules (`stripe-currencies.ts`, each table with its source) as the
 * order contract states them: once as JSON Schema (draft 4 keywords only, because API Gateway's
 * request models are draft 4: docs/aws-facts.md §19) and once as JSONata rules for `ValidateOrder`.
 * Both are generated from the same tables, and a test checks that `deploy/workflows/order/order.schema.json`
 * holds exactly `currencyRulesSchema()`, so the contract, the saga and the sandbox cannot drift.
 */
import {
    MAXIMUM_CHARGE_AMOUNT,
    MINIMUM_CHARGE_AMOUNTS,
    STRIPE_PRESENTMENT_CURRENCIES,
    THREE_DECIMAL_CURRENCIES,
    WHOLE_UNIT_CURRENCIES,
} from "./stripe-currencies";

/** A currency code as an order may spell it: Stripe's lower case or the ISO upper case (sent lower-case either way). */
const spellings = (codes: readonly string[]) => codes.flatMap((c) => [c, c.toUpperCase()]);

/** Currencies by minimum charge amount, smallest minimum first. */
function minimumGroups(): [number, string[]][] {
    const groups = new Map<number, string[]>();
    for (const [code, minimum] of Object.entries(MINIMUM_CHARGE_AMOUNTS)) groups.set(minimum, [...(groups.get(minimum) ?? []), code]);
    return [...groups.entries()].sort(([a], [b]) => a - b);
}

/** Amounts in `codes` must satisfy `amountRule`; other currencies are not constrained by it. */
const whenCurrency = (codes: readonly string[], amountRule: Record<string, number>) => ({
    anyOf: [{ properties: { currency: { not: { enum: spellings(codes) } } } }, { properties: { amount: { type: "integer", ...amountRule } } }],
});

/** The order schema's `currency` property: a supported presentment currency, in either case. */
export function currencySchema(): Record<string, unknown> {
    return {
        description:
            "A currency Stripe supports for card payments (https://docs.stripe.com/currencies), lower or upper case; the saga sends it lower-case, as Stripe requires.",
        type: "string",
        enum: spellings(STRIPE_PRESENTMENT_CURRENCIES),
    };
}

/** The order schema's `allOf`: minimum charge amounts per currency, and three-decimal and whole-unit amounts. */
export function currencyRulesSchema(): Record<string, unknown>[] {
    return [
        ...minimumGroups().map(([minimum, codes]) => whenCurrency(codes, { minimum })),
        whenCurrency(THREE_DECIMAL_CURRENCIES, { multipleOf: 10 }),
        whenCurrency(WHOLE_UNIT_CURRENCIES, { multipleOf: 100 }),
    ];
}

const list = (codes: readonly string[]) => `[${codes.map((c) => `'${c}'`).join(", ")}]`;

/**
 * JSONata rules over `$o` (the order) in `ValidateOrder`'s `[]`-or-`[message]` form. Each is total:
 * a non-string currency or a non-number amount is reported by another rule, not by a thrown error.
 */
export function currencyRules(rule: (ok: string, message: string) => string): string[] {
    const lower = `($type($o.currency) = 'string' ? $lowercase($o.currency) : '')`;
    // Only a whole amount is checked here; another rule reports any other.
    const whole = `($type($o.amount) = 'number' and $o.amount = $floor($o.amount))`;
    const amount = `$o.amount`;
    // A chain of regexes, not a lookup object: jsonata-js builds an object literal on every evaluation.
    const minimum = `${minimumGroups()
        .map(([m, codes]) => `$contains(${lower}, /^(${codes.join("|")})$/) ? ${m}`)
        .join(" : ")} : ()`;
    return [
        rule(
            // A regex of alternatives: about 15 times faster than `in` over a 300-item list in jsonata-js.
            `$type($o.currency) = 'string' and $contains($o.currency, /^(${spellings(STRIPE_PRESENTMENT_CURRENCIES).join("|")})$/)`,
            "`currency` must be a currency Stripe supports, in lower or upper case (https://docs.stripe.com/currencies)",
        ),
        rule(
            `( $m := ${minimum}; $not($exists($m)) or $not(${whole}) or ${amount} >= $m )`,
            "`amount` is below the minimum charge Stripe allows for the currency (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts)",
        ),
        rule(
            `$not(${lower} in ${list(THREE_DECIMAL_CURRENCIES)}) or $not(${whole}) or ${amount} % 10 = 0`,
            "`amount` in a three-decimal currency must end in 0",
        ),
        rule(
            `$not(${lower} in ${list(WHOLE_UNIT_CURRENCIES)}) or $not(${whole}) or ${amount} % 100 = 0`,
            "`amount` in ISK must be a whole number of krónur (divisible by 100)",
        ),
    ];
}

/** Stripe's largest amount, which the schema's `amount.maximum` must equal. */
export const MAX_AMOUNT = MAXIMUM_CHARGE_AMOUNT;
