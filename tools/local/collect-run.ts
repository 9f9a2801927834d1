/**
 * The collection part of `npm start`: one run of the stack's `collect` workflow against the sandbox
 * (pages, a 429 burst waited out, S3 objects in a local folder, the summary event in the outbox),
 * printed as a table per source. It is as expected when the run succeeds, some source needed more
 * than one page, and at least one 429 was retried.
 */
import { ExecutionResult, TraceStep } from "./runner";
import { LOCAL_BUCKET, NoLocalSandboxError, startLocalCollectStack } from "./collect-stack";
import { formatTable, palette, traceCounts } from "../commands/trace";
import { readStackFile, stackSettings } from "../stack-file";
import * as fs from "fs";
import * as path from "path";

/** What a collection run did, from its trace and summary event. */
export interface CollectionReport {
    readonly result: ExecutionResult;
    readonly summary: { pages: number; items: number; sources: { source: string; status: string; pages: number; items: number }[]; failedSources: string[] };
    readonly retried429: number;
    readonly objects: number;
}

/** Counts the 429s that were retried in a traced run. */
export function retried429(result: ExecutionResult): number {
    // Standard children retry in the Task (`Retry`); Express children catch into the child's retry budget.
    const budgeted = (step: TraceStep) => (step.caught?.error === "States.Http.StatusCode.429" && step.caught.next.endsWith(": retry fetch?") ? 1 : 0);
    return (result.trace ?? []).reduce((n, step) => n + step.retries.filter((e) => e === "States.Http.StatusCode.429").length + budgeted(step), 0);
}

/** Runs the stack's collection once, printing it; true when it went as expected (or the stack has none). */
export async function runLocalCollection(stack: string, colour: boolean): Promise<boolean> {
    const c = palette(colour);
    if (!stackSettings(readStackFile(stack, path.join(__dirname, "..", ".."))).collect) {
        console.log(c.dim(`\nStack \`${stack}\` does not enable \`collect\`: no collection run.`));
        return true;
    }
    // Kept after the run (in the git-ignored `out/`), so the objects can be looked at; emptied first.
    const storeDir = path.join(__dirname, "..", "..", "out", "local", "s3");
    fs.rmSync(storeDir, { recursive: true, force: true });
    fs.mkdirSync(storeDir, { recursive: true });
    let local;
    try {
        local = await startLocalCollectStack({ stack, trace: true, storeDir });
    } catch (e) {
        if (!(e instanceof NoLocalSandboxError)) throw e;
        // Not a failure of the workflow: the sandbox cannot stand in for that API (use `npm run local -- --allow-network`).
        console.log(c.yellow(`\nNo local collection run: ${e.message}`));
        return true;
    }
    try {
        console.log(
            c.bold(
                `\nScheduled collection from deploy/workflows/collect/definition.ts, stack \`${stack}\`: ${local.collect.sources.map((s) => `${s.name} (${s.pagination.style}${s.fanOut ? ", fan-out" : ""})`).join(", ")}.`,
            ),
        );
        console.log(c.dim("A 429 waits the sandbox's Retry-After (1 s), which refuses earlier retries; other retry waits are 0 ms locally."));
        const result = await local.runner.run({});
        const event = local.outbox.events[local.outbox.events.length - 1];
        const summary = event?.detail as CollectionReport["summary"] | undefined;
        const rows: string[][] = [["source", "status", "pages", "items"]];
        for (const s of summary?.sources ?? [])
            rows.push([s.source, s.status === "SUCCEEDED" ? c.green(s.status) : c.red(s.status), String(s.pages), String(s.items)]);
        for (const line of formatTable(rows)) console.log(line);
        const retries = retried429(result);
        const { calls } = traceCounts(result);
        const mapRuns = local.runner.mapRuns.map(
            (r) => `\`${r.state}\` ran ${r.items} item(s) in ${r.children} ${r.executionType} child execution(s), ${r.failedChildren} failed`,
        );
        console.log(
            `${result.status === "SUCCEEDED" ? c.green(result.status) : c.red(`${result.status} ${result.error ?? ""}`)} in ${Math.round(result.durationMs)} ms: ${calls} HTTP calls (child executions included), ${retries} 429(s) retried after Retry-After.`,
        );
        console.log(`Map Runs: ${mapRuns.join("; ")}.`);
        console.log(
            `Local S3: ${local.store.written.length} objects under ${path.relative(process.cwd(), path.join(local.store.root, LOCAL_BUCKET))}/, e.g. ${local.store.written[0]?.key ?? "-"}.`,
        );
        console.log(
            `Outbox (events:putEvents): ${event ? `"${event.detailType}" on ${event.eventBusName}, ${summary?.pages} pages, ${summary?.items} items` : "nothing"}.`,
        );
        const paged = (summary?.sources ?? []).some((s) => s.pages > 1);
        const ok = result.status === "SUCCEEDED" && paged && retries > 0;
        if (!ok) console.log(c.red("The collection did not run as expected (success, pagination and a retried 429)."));
        return ok;
    } finally {
        await local.close();
    }
}
