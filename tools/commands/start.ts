/**
 * `npm start`: starts the sandbox APIs on 127.0.0.1, runs every named scenario through the order
 * saga of `deploy/workflows/order/definition.ts` (the definition `pulumi up` deploys, with local URLs and the dev
 * stack's auth types), prints a trace per order and a summary table, and exits 0 when every
 * scenario ends as expected. Then, for a stack that enables `collect`, it runs one scheduled
 * collection against the telemetry and social sandbox APIs (`tools/local/collect-run.ts`). No AWS account,
 * no network beyond loopback.
 */
import { startLocalOrderStack } from "../local/order-stack";
import { orderOf, SCENARIOS } from "../local/scenarios";
import { formatTable, formatTrace, palette, traceCounts, useColour } from "./trace";
import * as path from "path";
import { listStacks } from "../stack-file";
import { numberOption, parseCommandLine, printUsage, runCommand, stackOption, UsageError } from "./command-line";
import { startIntakeServer } from "../local/intake";
import { runLocalCollection } from "../local/collect-run";

const USAGE =
    "usage: npm start [-- --stack <name>] [--serve [--port <n>]]   (--stack: default dev, the stack whose auth types the sandbox APIs use; --serve: keep the sandbox and an order intake on 127.0.0.1 instead of running the scenarios)";

async function main(argv: readonly string[]): Promise<number> {
    const values = parseCommandLine(argv, { stack: { type: "string", default: "dev" }, serve: { type: "boolean", default: false }, port: { type: "string" } });
    if (values === "help") return printUsage(USAGE);
    const stack = stackOption(values.stack, listStacks(path.join(__dirname, "..", "..")));
    if (values.port !== undefined && !values.serve) throw new UsageError("`--port` goes with `--serve`.");
    if (values.serve) {
        const port = values.port === undefined ? 8080 : numberOption(values.port, "port", (n) => Number.isInteger(n) && n >= 0 && n <= 65535, "a port number");
        return serve(stack, port);
    }
    const colour = useColour();
    const c = palette(colour);
    const local = await startLocalOrderStack({ stack, trace: true });
    try {
        const auth = Object.entries(local.sandbox.connections)
            .map(([api, conn]) => `${api} ${conn.AuthorizationType}`)
            .join(", ");
        console.log(
            c.bold(`Order saga from deploy/workflows/order/definition.ts, stack \`${local.stack}\` (${local.region}), sandbox APIs on 127.0.0.1 (${auth}).`),
        );
        console.log(c.dim("Retry waits are shortened to 0 ms locally; in AWS they are 1 s, 2 s, 4 s … with full jitter.\n"));
        const rows: string[][] = [["scenario", "status", "error", "expected", "HTTP calls", "retries", "duration"]];
        let unexpected = 0;
        for (const scenario of SCENARIOS) {
            console.log(`${c.cyan("▶")} ${c.bold(scenario.name)} ${c.dim(`— ${scenario.description}`)}`);
            const result = await local.runner.run(orderOf(scenario, local.sandbox));
            for (const line of formatTrace(result, { colour, waitsShortened: local.runner.retryWaitsShortened })) console.log(line);
            console.log("");
            const asExpected = result.status === scenario.expected.status && result.error === scenario.expected.error;
            if (!asExpected) unexpected++;
            const { calls, retries } = traceCounts(result);
            const status = result.status === "SUCCEEDED" ? c.green(result.status) : c.red(result.status);
            rows.push([
                scenario.name,
                status,
                result.error ?? "-",
                asExpected ? c.green("yes") : c.red("NO"),
                String(calls),
                String(retries),
                `${Math.round(result.durationMs)} ms`,
            ]);
        }
        for (const line of formatTable(rows)) console.log(line);
        const ledger = local.sandbox.ledger;
        const count = (kind: Parameters<typeof ledger.of>[0]) => ledger.of(kind).length;
        console.log(
            `\nSandbox ledger: ${count("authorization")} authorizations, ${count("capture")} captures, ${count("cancel")} cancelled intents, ${count("decline")} declines, ${count("requires-action")} 3-D Secure, ${count("refund")} refunds, ${count("reservation")} reservations, ${count("release")} releases, ${count("shipment")} shipments, ${count("shipment-cancel")} shipment cancellations, ${count("token")} OAuth token(s).`,
        );
        console.log(`Outbox (sns:publish): ${local.outbox.messages.map((m) => m.subject ?? m.attributes.event).join(", ")}.`);
        if (unexpected > 0) console.log(c.red(`${unexpected} scenario(s) did not end as expected.`));
        const collected = await runLocalCollection(stack, colour);
        return unexpected > 0 || !collected ? 1 : 0;
    } finally {
        await local.close();
    }
}

/**
 * `--serve`: the sandbox and the order intake, until Ctrl-C. A busy `port` rejects with
 * `PortInUseError` after closing every sandbox port it opened (so the process can exit).
 */
export async function serve(stack: string, port: number, startStack = startLocalOrderStack): Promise<number> {
    const local = await startStack({ stack });
    let intake;
    try {
        intake = await startIntakeServer(local, port);
    } catch (e) {
        await local.close();
        throw e;
    }
    console.log(
        `Order intake for stack \`${stack}\` on ${intake.ordersUrl} (the deployed API's contract: 202, 400 InvalidOrder, 409 for an order id already started).`,
    );
    console.log(`  curl -s -X POST ${intake.ordersUrl} -H 'Content-Type: application/json' -d @tools/examples/order.json`);
    console.log(`  curl -s ${intake.ordersUrl}/ord-2001`);
    console.log("Ctrl-C stops it.");
    await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
    });
    await intake.settled();
    await intake.close();
    await local.close();
    return 0;
}

runCommand(main, USAGE, "npm start", module);
