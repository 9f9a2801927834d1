/**
 * Stripe's amount and currency rules as data, shared by the saga (which checks an order before any
 * call) and the local Stripe sandbox (which refuses what Stripe refuses). Pure data and one pure
 * function: no imports, so `deploy/asl/`, `deploy/workflows/` and `tools/` can all use it.
 *
 * Sources (read 2026; each table names its own):
 * - [currencies] https://docs.stripe.com/currencies: presentment currencies, "You must use all
 *   lowercase letters when passing the three-letter ISO code", zero-decimal and three-decimal
 *   currencies, special cases, minimum and maximum charge amounts.
 * - [isk] https://support.stripe.com/questions/deprecation-of-fractional-isk-charges-and-refunds:
 *   ISK stays two-decimal in the API but amounts must be divisible by 100.
 * - [errors] Stripe's answers quoted in public issue threads: `amount_too_small` "Amount must be at
 *   least €0.50 eur" (EuroPython/epcon#1259), "Invalid currency: zzz. Stripe currently supports these
 *   currencies: usd, aed, ..." on parameter `currency` (lukec/stripe-perl#156).
 */

/**
 * Presentment currencies Stripe accepts for card payments, lower-case as the API wants them
 * ([currencies]; the same list Stripe prints in its "Invalid currency" answer, [errors]), plus the
 * three-decimal currencies the docs say PaymentIntents and Refunds support. Which of these an
 * account may use depends on its country: UNKNOWN per account, so every listed code is accepted.
 */
export const STRIPE_PRESENTMENT_CURRENCIES: readonly string[] = [
    ...["usd", "aed", "afn", "all", "amd", "ang", "aoa", "ars", "aud", "awg", "azn", "bam", "bbd", "bdt", "bgn", "bif", "bmd", "bnd", "bob", "brl"],
    ...["bsd", "bwp", "byn", "bzd", "cad", "cdf", "chf", "clp", "cny", "cop", "crc", "cve", "czk", "djf", "dkk", "dop", "dzd", "egp", "etb", "eur"],
    ...["fjd", "fkp", "gbp", "gel", "gip", "gmd", "gnf", "gtq", "gyd", "hkd", "hnl", "htg", "huf", "idr", "ils", "inr", "isk", "jmd", "jpy", "kes"],
    ...["kgs", "khr", "kmf", "krw", "kyd", "kzt", "lak", "lbp", "lkr", "lrd", "lsl", "mad", "mdl", "mga", "mkd", "mmk", "mnt", "mop", "mur", "mvr"],
    ...["mwk", "mxn", "myr", "mzn", "nad", "ngn", "nio", "nok", "npr", "nzd", "pab", "pen", "pgk", "php", "pkr", "pln", "pyg", "qar", "ron", "rsd"],
    ...["rub", "rwf", "sar", "sbd", "scr", "sek", "sgd", "shp", "sle", "sos", "srd", "std", "szl", "thb", "tjs", "top", "try", "ttd", "twd", "tzs"],
    ...["uah", "ugx", "uyu", "uzs", "vnd", "vuv", "wst", "xaf", "xcd", "xcg", "xof", "xpf", "yer", "zar", "zmw"],
    ...["bhd", "jod", "kwd", "omr", "tnd"],
];

/** Currencies whose amount is in whole units, e.g. `500` charges ¥500 ([currencies] "Zero-decimal currencies"). */
export const ZERO_DECIMAL_CURRENCIES: readonly string[] = [
    ...["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"],
];

/**
 * Three-decimal currencies: the amount is in thousandths, and its last digit must be 0 "to ensure
 * compatibility with Stripe's payments partners" ([currencies] "Three-decimal currencies").
 */
export const THREE_DECIMAL_CURRENCIES: readonly string[] = ["bhd", "jod", "kwd", "omr", "tnd"];

/**
 * Two-decimal in the API but charged in whole units only: the amount must be divisible by 100
 * ([isk]; [currencies] "Special cases"). HUF and TWD are divisible-by-100 for payouts only, so not here.
 */
export const WHOLE_UNIT_CURRENCIES: readonly string[] = ["isk"];

/**
 * Minimum charge amounts in minor units ([currencies] "Minimum and maximum charge amounts"). Stripe
 * applies the minimum of the account's settlement currency to the converted amount; the table is
 * applied to a charge in the same currency, and a currency missing here has no known minimum
 * (UNKNOWN: it depends on the exchange rate), so only the amount's own rules apply to it.
 */
export const MINIMUM_CHARGE_AMOUNTS: Readonly<Record<string, number>> = {
    usd: 50,
    aed: 200,
    aud: 50,
    bgn: 100,
    brl: 50,
    cad: 50,
    chf: 50,
    czk: 1500,
    dkk: 250,
    eur: 50,
    gbp: 30,
    hkd: 400,
    huf: 17500,
    inr: 50,
    jpy: 50,
    mxn: 1000,
    myr: 200,
    nok: 300,
    nzd: 50,
    pln: 200,
    ron: 200,
    sek: 300,
    sgd: 50,
    thb: 1000,
};

/** The amount "supports up to eight digits" ([currencies]): 99,999,999 minor units. */
export const MAXIMUM_CHARGE_AMOUNT = 99_999_999;

/** Digits after the decimal point of `currency`'s minor unit, as Stripe counts them. */
export function stripeDecimals(currency: string): 0 | 2 | 3 {
    if (ZERO_DECIMAL_CURRENCIES.includes(currency)) return 0;
    return THREE_DECIMAL_CURRENCIES.includes(currency) ? 3 : 2;
}

/** Why Stripe would refuse an amount: Stripe's `code` (when it has one), the `param` and the message. */
export interface StripeAmountRefusal {
    readonly code?: "amount_too_small" | "amount_too_large" | "invalid_charge_amount_no_decimal_compatible";
    readonly param: "amount" | "currency";
    readonly message: string;
}

/** `minor` units of `currency` as Stripe prints them in messages, e.g. `€0.50` (en-US, Intl's symbols). */
export function formatStripeAmount(minor: number, currency: string): string {
    const decimals = stripeDecimals(currency);
    try {
        const format = new Intl.NumberFormat("en-US", {
            style: "currency",
            currency: currency.toUpperCase(),
            minimumFractionDigits: decimals,
            maximumFractionDigits: decimals,
        });
        return format.format(minor / 10 ** decimals);
    } catch {
        return `${(minor / 10 ** decimals).toFixed(decimals)} ${currency}`;
    }
}

/**
 * The refusal Stripe gives a charge of `amount` minor units in `currency`, or `undefined` when the
 * rules above accept it. `currency` must already be the code as sent: upper case is refused
 * because Stripe documents lower case only (what it does with `EUR` is UNKNOWN; refusing is safe).
 */
export function stripeAmountRefusal(amount: number, currency: string): StripeAmountRefusal | undefined {
    if (!STRIPE_PRESENTMENT_CURRENCIES.includes(currency))
        return {
            param: "currency",
            message: `Invalid currency: ${currency}. Stripe currently supports these currencies: ${STRIPE_PRESENTMENT_CURRENCIES.join(", ")}`,
        };
    const minimum = MINIMUM_CHARGE_AMOUNTS[currency];
    if (minimum !== undefined && amount < minimum)
        return { code: "amount_too_small", param: "amount", message: `Amount must be at least ${formatStripeAmount(minimum, currency)} ${currency}` };
    if (amount > MAXIMUM_CHARGE_AMOUNT)
        return { code: "amount_too_large", param: "amount", message: `Amount must be no more than ${formatStripeAmount(MAXIMUM_CHARGE_AMOUNT, currency)}` };
    // Stripe's code and wording here are UNKNOWN; the rule itself is documented.
    if (THREE_DECIMAL_CURRENCIES.includes(currency) && amount % 10 !== 0)
        return { param: "amount", message: `Invalid amount: ${currency} amounts must end in 0 (round to the nearest ten).` };
    if (WHOLE_UNIT_CURRENCIES.includes(currency) && amount % 100 !== 0)
        return {
            code: "invalid_charge_amount_no_decimal_compatible",
            param: "amount",
            message: `Invalid amount. Currency ${currency.toUpperCase()} has become effectively zero-decimal and charged amounts must be evenly divisible by 100. See https://stripe.com/docs/currencies#special-cases for more information.`,
        };
    return undefined;
}
