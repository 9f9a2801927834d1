/**
 * `npm run bench [-- --workflow order|collect …]`, by default `--workflow order`
 * `[--orders <n> --concurrency <c>]`: the full order saga over loopback through the local engine,
 * without and with injected faults, and the same five HTTP calls per order (the search included) made directly (no
 * workflow engine) in the same run: the HTTP limit of this machine; then the collection bench
 * (`--collect-runs`, 0 skips it). The last stdout line is
 * `{"ordersPerSecond","p50Ms","p99Ms","rawHttpOrdersPerSecond","sagaRatio","collectRatio"}` (no-fault saga run;
 * `sagaRatio` = saga orders/s ÷ raw HTTP orders/s, `collectRatio` = engine pages/s ÷ direct pages/s).
 * `--workflow collect` benches the scheduled collection instead (`bench-collect.ts`).
 */
import * as os from "os";
import { sampleOrder } from "../../deploy/workflows/order/definition";
import { STRIPE_API_VERSION } from "../../deploy/workflows/order/payment/stripe";
import { ConnectionSpec } from "../emulator/connections";
import { OAuthTokens } from "../emulator/oauth";
import { buildRequest, credentialHeader, HttpRequest, withHeader } from "../emulator/request";
import { send } from "../emulator/transport";
import { LocalOrderStack, startLocalOrderStack } from "../local/order-stack";
import { percentile, runPool } from "../local/pool";
import { uniformFaults } from "../sandbox/faults";
import { formatTable } from "./trace";
import { numberOption, parseCommandLine, printUsage, runCommand, UsageError } from "./command-line";
import { COLLECT_BENCH_USAGE, collectBench, measureCollect } from "../bench/bench-collect";

const ORDER_USAGE = "usage: npm run bench [-- --workflow order] [--orders <n>] [--concurrency <c>] [--fault-rate <p>] [--collect-runs <n>]";
// One usage for both workflows: `runCommand` prints it on any bad usage, whichever bench raised it.
const USAGE = `${ORDER_USAGE}\n${COLLECT_BENCH_USAGE.replace(/^usage: /, "       ")}`;
/** The workflows `--workflow` takes; the first is the default. */
const WORKFLOWS = ["order", "collect"] as const;

interface Figures {
    readonly label: string;
    readonly orders: number;
    readonly ordersPerSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly succeeded: number;
}

const BENCH_DEADLINE_MS = 120_000;

async function sagaRun(local: LocalOrderStack, label: string, orders: number, concurrency: number): Promise<Figures> {
    const run = await runPool(
        orders,
        concurrency,
        async (i) => {
            const t0 = performance.now();
            const result = await local.runner.run({ ...sampleOrder, orderId: `${label}-${i}` });
            return { ms: performance.now() - t0, ok: result.status === "SUCCEEDED" };
        },
        BENCH_DEADLINE_MS,
    );
    const latencies = run.results.map((r) => r.ms);
    return {
        label,
        orders: run.results.length,
        ordersPerSecond: run.results.length / (run.elapsedMs / 1000),
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        succeeded: run.results.filter((r) => r.ok).length,
    };
}

/**
 * The saga's five calls for one order (search, authorize, reserve, ship, capture), with the requests
 * the saga sends, built and signed the way the emulator does, minus the engine: like with like.
 */
async function rawRun(local: LocalOrderStack, label: string, orders: number, concurrency: number): Promise<Figures> {
    // The connections name the stack's real token URL: routed to the sandbox's, as the emulator routes it.
    const tokens = new OAuthTokens(60_000, Date.now, local.routes.target);
    const sign = async (request: HttpRequest, api: "payment" | "inventory" | "shipping"): Promise<HttpRequest> => {
        const spec: ConnectionSpec = local.sandbox.connections[api];
        const oauth = spec.AuthParameters.OAuthParameters;
        return withHeader(request, ...credentialHeader(spec, oauth ? await tokens.token(local.connectionArns[api], oauth) : undefined));
    };
    const call = async (
        api: "payment" | "inventory" | "shipping",
        path: string,
        key: string | undefined,
        body?: Record<string, unknown>,
        query?: Record<string, string>,
    ) => {
        // Stripe takes form-encoded parameters, as AuthorizePayment and CapturePayment send them; SearchPaymentIntent is a GET without a key.
        const form =
            api === "payment" && key === undefined
                ? { Headers: { "Stripe-Version": STRIPE_API_VERSION } }
                : api === "payment"
                  ? {
                        Transform: { RequestBodyEncoding: "URL_ENCODED" },
                        Headers: { "Idempotency-Key": key, "Content-Type": "application/x-www-form-urlencoded", "Stripe-Version": STRIPE_API_VERSION },
                    }
                  : {};
        const params = {
            ApiEndpoint: `${local.sandbox.urls[api]}${path}`,
            Method: key === undefined ? "GET" : "POST",
            Authentication: { ConnectionArn: local.connectionArns[api] },
            Headers: { "Idempotency-Key": key },
            ...(query ? { QueryParameters: query } : {}),
            ...(body ? { RequestBody: body } : {}),
            ...form,
        };
        const result = await send(await sign(buildRequest(params, local.sandbox.connections[api], local.region), api));
        if (result.StatusCode >= 300) throw new Error(`${api} answered ${result.StatusCode}: ${JSON.stringify(result.ResponseBody).slice(0, 300)}`);
        return result.ResponseBody as Record<string, unknown>;
    };
    const run = await runPool(
        orders,
        concurrency,
        async (i) => {
            const t0 = performance.now();
            const o = { ...sampleOrder, orderId: `${label}-${i}` };
            // The saga looks for the order's intent before creating one (SearchPaymentIntent); so do the direct calls.
            const found = await call("payment", "/payment_intents/search", undefined, undefined, { query: `metadata['order_id']:'${o.orderId}'` });
            if ((found.data as unknown[]).length !== 0) throw new Error(`order ${o.orderId} already has a PaymentIntent`);
            const intent = await call("payment", "/payment_intents", `authorize-${o.orderId}`, {
                amount: o.amount,
                currency: o.currency.toLowerCase(),
                payment_method: o.paymentMethod,
                confirm: true,
                capture_method: "manual",
                error_on_requires_action: true,
                automatic_payment_methods: { enabled: true, allow_redirects: "never" },
                description: `Order ${o.orderId}`,
                metadata: { order_id: o.orderId },
            });
            await call("inventory", "/reservations", `reservation-${o.orderId}`, { reservationId: `res-${o.orderId}`, orderId: o.orderId, items: o.items });
            await call("shipping", "/shipments", `shipment-${o.orderId}`, {
                shipmentId: `shp-${o.orderId}`,
                orderId: o.orderId,
                items: o.items,
                recipient: o.customer,
            });
            await call("payment", `/payment_intents/${String(intent.id)}/capture`, `capture-${o.orderId}`);
            return performance.now() - t0;
        },
        BENCH_DEADLINE_MS,
    );
    return {
        label,
        orders: run.results.length,
        ordersPerSecond: run.results.length / (run.elapsedMs / 1000),
        p50Ms: percentile(run.results, 50),
        p99Ms: percentile(run.results, 99),
        succeeded: run.results.length,
    };
}

/**
 * `--workflow <name>` (or `--workflow=<name>`) taken out of `argv`. Each workflow's bench parses
 * the rest strictly with its own options, so this one is split off first.
 */
function splitWorkflow(argv: readonly string[]): { workflow: string; rest: string[] } {
    const rest = [...argv];
    let workflow: string = WORKFLOWS[0];
    const at = rest.findIndex((a) => a === "--workflow" || a.startsWith("--workflow="));
    if (at < 0) return { workflow, rest };
    if (rest[at] === "--workflow") {
        if (at + 1 >= rest.length || rest[at + 1].startsWith("-")) throw new UsageError(`\`--workflow\` needs a value (${WORKFLOWS.join(" or ")}).`);
        workflow = rest.splice(at, 2)[1];
    } else workflow = rest.splice(at, 1)[0].slice("--workflow=".length);
    if (rest.some((a) => a === "--workflow" || a.startsWith("--workflow="))) throw new UsageError("`--workflow` is given more than once.");
    return { workflow, rest };
}

async function main(argv: readonly string[]): Promise<number> {
    // `--help` wins over a bad `--workflow`, as it does over any other bad option (command-line.ts).
    const help = argv.includes("--help") || argv.includes("-h");
    let split: { workflow: string; rest: string[] };
    try {
        split = splitWorkflow(argv);
        if (!(WORKFLOWS as readonly string[]).includes(split.workflow))
            throw new UsageError(`\`--workflow\` must be ${WORKFLOWS.join(" or ")}; got \`${split.workflow}\`.`);
    } catch (e) {
        if (help && e instanceof UsageError) return printUsage(USAGE);
        throw e;
    }
    return split.workflow === "collect" ? collectBench(split.rest) : orderBench(split.rest);
}

/** The order saga bench (the default workflow). */
async function orderBench(argv: readonly string[]): Promise<number> {
    const values = parseCommandLine(argv, {
        orders: { type: "string", default: "4000" },
        concurrency: { type: "string", default: "32" },
        "fault-rate": { type: "string", default: "0.05" },
        "collect-runs": { type: "string", default: "2" },
    });
    if (values === "help") return printUsage(USAGE);
    const orders = numberOption(values.orders, "orders", (n) => Number.isInteger(n) && n >= 1 && n <= 100_000, "an integer from 1 to 100000");
    const concurrency = numberOption(values.concurrency, "concurrency", (n) => Number.isInteger(n) && n >= 1 && n <= 1024, "an integer from 1 to 1024");
    const faultRate = numberOption(values["fault-rate"], "fault-rate", (n) => n >= 0 && n < 1, "a probability in [0, 1)");
    const collectRuns = numberOption(values["collect-runs"], "collect-runs", (n) => Number.isInteger(n) && n >= 0 && n <= 100, "an integer from 0 to 100");
    const local = await startLocalOrderStack({ seed: 42 });
    let open = true;
    const close = async () => {
        if (open) await local.close();
        open = false;
    };
    try {
        console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}, ${os.platform()} ${os.arch()}.`);
        console.log(`Orders per run: ${orders}, concurrency ${concurrency}, retry waits shortened to 0 ms.`);
        await sagaRun(local, "warm-saga", Math.min(500, orders), concurrency);
        await rawRun(local, "warm-raw", Math.min(500, orders), concurrency);
        const raw = await rawRun(local, "raw", orders, concurrency);
        const clean = await sagaRun(local, "saga", orders, concurrency);
        local.sandbox.setFaults(uniformFaults(faultRate, { slowMs: 5 }));
        const faulty = await sagaRun(local, "faults", orders, concurrency);
        local.sandbox.setFaults(undefined);
        const row = (f: Figures) => [f.label, String(f.orders), String(f.succeeded), f.ordersPerSecond.toFixed(0), f.p50Ms.toFixed(2), f.p99Ms.toFixed(2)];
        const table = [
            ["run", "orders", "succeeded", "orders/s", "p50 ms", "p99 ms"],
            row({ ...raw, label: "raw HTTP (5 calls/order, no engine)" }),
            row({ ...clean, label: "saga, no faults" }),
            row({ ...faulty, label: `saga, ${faultRate * 100}% faults (429/500/503/slow 5 ms)` }),
        ];
        formatTable(table).forEach((line) => console.log(line));
        const sagaRatio = Number((clean.ordersPerSecond / raw.ordersPerSecond).toFixed(2));
        console.log(`Saga rate / raw HTTP rate: ${sagaRatio.toFixed(2)}.`);
        await close();
        // The collection in the same run, on its own stack, so the last line puts both ratios side by side.
        const collect = collectRuns > 0 ? await measureCollect(collectRuns) : undefined;
        console.log(
            JSON.stringify({
                ordersPerSecond: Math.round(clean.ordersPerSecond),
                p50Ms: Number(clean.p50Ms.toFixed(2)),
                p99Ms: Number(clean.p99Ms.toFixed(2)),
                rawHttpOrdersPerSecond: Math.round(raw.ordersPerSecond),
                sagaRatio,
                ...(collect ? { collectRatio: collect.ratio } : {}),
            }),
        );
        return 0;
    } finally {
        await close();
    }
}

runCommand(main, USAGE, "bench", module);
