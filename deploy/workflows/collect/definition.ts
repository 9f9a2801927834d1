/**
 * The scheduled data collection: every source of the stack (IoT- and social-media-style APIs),
 * paged, trimmed to the fields it needs, stored in S3 one object per page, and summed up in one
 * EventBridge event per run.
 *
 *   Plan run          the run's date partition and name (from `$$.Execution`)
 *   Collect           a Parallel branch per API: that API's sources in child executions of a
 *                     Distributed Map, then its fan-out sources, never more than the API's
 *                     `maxConcurrency` requests at once (see `apiBranch`)
 *   Summarize         pages and items per source, and the failed ones
 *   Publish summary   `events:PutEvents` on the stack's bus
 *   then `CollectionIncomplete` when a source failed (its error is in the summary), else success.
 *
 * Keys are `<source>/<yyyy>/<mm>/<dd>/<execution>/<page>.json` (UTC date of the run's start).
 */
import { EVENTS_PUT_EVENTS, eventsPutEvents } from "../../asl/data-tasks";
import { ApiTarget } from "../../asl/http-task";
import { path } from "../../asl/payload";
import { State, StateMachineDefinition } from "../../asl/types";
import { ApiLimits, SourceSettings } from "../../stack-config/types";
import { jsonataField, jsonataString } from "./page";
import { MAX_CAUSE_LENGTH } from "./source";
import { fanOutStates } from "./fanout";
import { apiStatePrefix, planPagedSources, processorOf } from "./paged";

export { EVENTS_PUT_EVENTS };

/** The event source and detail type of the run summary. */
export const SUMMARY_EVENT = { source: "sfn-http-workflows.collect", detailType: "Collection summary" } as const;

/** Everything the collection definition needs. */
export interface CollectTarget {
    /** Each API the sources call: where it is, the connection, and its limits. */
    readonly apis: Readonly<Record<string, ApiTarget & { readonly limits: ApiLimits }>>;
    readonly sources: readonly SourceSettings[];
    /** The bucket pages go to (and fan-out item lists come from). */
    readonly bucket: string;
    /** The bus the summary goes to: a name or an ARN. */
    readonly eventBusName: string;
}

/** `States.ArrayGetItem` of the UTC date of `$$.Execution.StartTime` (`2026-11-25T…`), part `index` (0 year, 1 month, 2 day). */
function datePart(index: number): string {
    // One-character delimiters only: every character of the second argument splits (docs/aws-facts.md §10.1).
    return `States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0), '-'), ${index})`;
}

/** The run's date, `yyyy-mm-dd`, as a JSONata expression on the state input. */
const RUN_DATE = "$states.input.run.yyyy & '-' & $states.input.run.mm & '-' & $states.input.run.dd";

/**
 * The Map Run label of an API's sources: at most 40 characters (API names have at most 32), and
 * with `_`, which no source name has, so it never equals a fan-out source's label (its name).
 */
export const sourcesLabel = (api: string) => `sources_${api}`;

export { apiStatePrefix };

/**
 * One Parallel branch: the sources of one API. The sources that page one endpoint run first, each
 * in a child execution of a Distributed Map, at most `maxConcurrency` at a time: a child can fail
 * in ways no `Catch` sees (`States.DataLimitExceeded` on an oversized page, `States.Runtime`), and
 * a failed child loses nothing but its own source, which the results name. Fan-out sources run
 * after them, one at a time, each with the API's `maxConcurrency` child executions, so the API
 * never has more than `maxConcurrency` requests in flight from this workflow.
 */
function apiBranch(api: string, sources: readonly SourceSettings[], target: CollectTarget): StateMachineDefinition {
    const { limits, ...apiTarget } = target.apis[api];
    const at = apiStatePrefix(api);
    const ctx = { api: apiTarget, limits, bucket: target.bucket };
    const paged = sources.filter((s) => !s.fanOut);
    const fanOuts = sources.filter((s) => s.fanOut);
    const done = `${at}done`;
    const states: Record<string, State> = {};
    // Built last to first, so each fan-out knows the state after it.
    let next = done;
    for (const source of [...fanOuts].reverse()) {
        const built = fanOutStates(source, ctx, next);
        Object.assign(states, built.states);
        next = built.start;
    }
    const afterPaged = next;
    if (paged.length > 0) {
        // Express children when every source's page loop, as built for Express, proves it fits; else Standard.
        const plan = planPagedSources(paged, (express) => processorOf(api, paged, ctx, express));
        const loops = processorOf(api, paged, ctx, plan.executionType === "EXPRESS");
        const names = `[${paged.map((s) => jsonataString(s.name)).join(", ")}]`;
        Object.assign(states, {
            [`${at}sources`]: {
                Type: "Map",
                Comment: `The sources of ${api} that page one endpoint, each in its own child execution, ${limits.maxConcurrency} at a time. ${plan.reason}`,
                Label: sourcesLabel(api),
                ItemsPath: "$.sources",
                ItemBatcher: { MaxItemsPerBatch: 1, BatchInput: { "run.$": "$.run" } },
                MaxConcurrency: limits.maxConcurrency,
                // A failed source is a result, not the end of the others.
                ToleratedFailurePercentage: 100,
                ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: plan.executionType }, ...loops },
                ResultPath: "$.sourceResults",
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: `${at}sources failed` }],
                Next: `${at}source results`,
            },
            // A child that failed uncatchably left no result: the sources without one are named failed.
            [`${at}source results`]: {
                Type: "Pass",
                QueryLanguage: "JSONata",
                Output: jsonataField(`(
                    $ok := $filter($states.input.sourceResults, function($r) { $type($r.source) = 'string' });
                    $missing := $filter(${names}, function($n) { $not($n in $ok.source) });
                    {
                        "run": $states.input.run,
                        "results": [$append($ok, $map($missing, function($n) {
                            {"source": $n, "status": "FAILED", "pages": 0, "items": 0, "error": "SourceExecutionFailed", "cause": "Its child execution failed; see the Map Run ${sourcesLabel(api)}."}
                        }))]
                    }
                )`),
                Next: afterPaged,
            },
            [`${at}sources failed`]: {
                Type: "Pass",
                QueryLanguage: "JSONata",
                Output: jsonataField(`{
                    "run": $states.input.run,
                    "results": [$map(${names}, function($n) {
                        {"source": $n, "status": "FAILED", "pages": 0, "items": 0, "error": $substring($string($states.input.error.Error), 0, 128), "cause": $substring($string($states.input.error.Cause), 0, ${MAX_CAUSE_LENGTH})}
                    })]
                }`),
                Next: afterPaged,
            },
        });
    }
    return {
        StartAt: `${at}plan`,
        States: {
            [`${at}plan`]: {
                Type: "Pass",
                Parameters: { "run.$": "$.run", sources: paged.map((s) => s.name), results: [] },
                Next: paged.length > 0 ? `${at}sources` : afterPaged,
            },
            ...states,
            [done]: { Type: "Pass", OutputPath: "$.results", End: true },
        },
    };
}

/** Builds the collection definition. Throws when a source names an API that is not given. */
export function collectDefinition(target: CollectTarget): StateMachineDefinition {
    if (target.sources.length === 0) throw new Error("The collection needs at least one source.");
    const apis = [...new Set(target.sources.map((s) => s.api))].sort();
    for (const api of apis) if (!target.apis[api]) throw new Error(`Source API \`${api}\` has no target.`);
    return {
        Comment: `Collects ${target.sources.map((s) => s.name).join(", ")} into s3://${target.bucket} and publishes a summary.`,
        StartAt: "Plan run",
        States: {
            "Plan run": {
                Type: "Pass",
                Parameters: { run: { "execution.$": "$$.Execution.Name", "yyyy.$": datePart(0), "mm.$": datePart(1), "dd.$": datePart(2) } },
                Next: "Collect",
            },
            Collect: {
                Type: "Parallel",
                Comment: "One branch per API; a source's failure is its result, never the branch's.",
                Branches: apis.map((api) =>
                    apiBranch(
                        api,
                        target.sources.filter((s) => s.api === api),
                        target,
                    ),
                ),
                ResultPath: "$.results",
                // Defensive: no branch should fail, but if one does the run still says so on the bus.
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Collection failed" }],
                Next: "Summarize",
            },
            "Collection failed": {
                Type: "Pass",
                QueryLanguage: "JSONata",
                Comment: "A whole branch failed: what was stored is unknown here, so every source is named failed.",
                Output: jsonataField(`(
                    $error := $substring($string($states.input.error.Error), 0, 128);
                    $cause := $substring($string($states.input.error.Cause), 0, ${MAX_CAUSE_LENGTH});
                    $names := [${target.sources.map((s) => jsonataString(s.name)).join(", ")}];
                    {
                        "execution": $states.input.run.execution,
                        "date": ${RUN_DATE},
                        "pages": 0,
                        "items": 0,
                        "sources": [$map($names, function($n) { {"source": $n, "status": "FAILED", "pages": 0, "items": 0, "error": $error, "cause": $cause} })],
                        "failedSources": $names,
                        "error": $error,
                        "cause": $cause
                    }
                )`),
                Next: "Publish summary",
            },
            Summarize: {
                Type: "Pass",
                QueryLanguage: "JSONata",
                Output: jsonataField(`(
                    $sources := $reduce($states.input.results, function($all, $branch) { $append($all, $branch) }, []);
                    {
                        "execution": $states.input.run.execution,
                        "date": ${RUN_DATE},
                        "pages": $sum($sources.pages),
                        "items": $sum($sources.items),
                        "sources": $sources,
                        "failedSources": [$filter($sources, function($s) { $s.status = 'FAILED' }).source]
                    }
                )`),
                Next: "Publish summary",
            },
            "Publish summary": eventsPutEvents({
                eventBusName: target.eventBusName,
                source: SUMMARY_EVENT.source,
                detailType: SUMMARY_EVENT.detailType,
                detail: path("$"),
                resultPath: null,
                catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.publishError", Next: "Summary not published" }],
                transition: { Next: "All sources collected?" },
            }),
            "All sources collected?": {
                Type: "Choice",
                Choices: [{ Variable: "$.failedSources[0]", IsPresent: true, Next: "Collection incomplete" }],
                Default: "Collected",
            },
            Collected: { Type: "Succeed" },
            "Collection incomplete": {
                Type: "Fail",
                QueryLanguage: "JSONata",
                Error: "CollectionIncomplete",
                Cause: jsonataField(`'Sources failed (the others are stored): ' & $join($states.input.failedSources, ', ')`),
            },
            "Summary not published": {
                Type: "Fail",
                Error: "SummaryNotPublished",
                Cause: "The pages are stored but the summary event could not be published.",
            },
        },
    };
}
