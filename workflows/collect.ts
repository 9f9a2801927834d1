/**
 * The scheduled data collection: every source of the stack (IoT- and social-media-style APIs),
 * paged, trimmed to the fields it needs, stored in S3 one object per page, and summed up in one
 * EventBridge event per run.
 *
 *   Plan run          the run's date partition and name (from `$$.Execution`)
 *   Collect           a Parallel branch per API, each a Map over that API's sources with the API's
 *                     `maxConcurrency`, so its rate limit holds whatever the number of sources
 *   Summarize         pages and items per source, and the failed ones
 *   Publish summary   `events:PutEvents` on the stack's bus
 *   then `CollectionIncomplete` when a source failed (its error is in the summary), else success.
 *
 * Keys are `<source>/<yyyy>/<mm>/<dd>/<execution>/<page>.json` (UTC date of the run's start).
 */
import { EVENTS_PUT_EVENTS, eventsPutEvents } from "../asl/data-tasks";
import { ApiTarget } from "../asl/http-task";
import { path } from "../asl/payload";
import { State, StateMachineDefinition } from "../asl/types";
import { ApiLimits, SourceSettings } from "../stack-config/types";
import { jsonataField } from "./collect-page";
import { fanOutStates, sourceStates } from "./collect-source";

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
    /** Accept `http://` loopback base URLs (local runner only). @default false */
    readonly allowLoopbackHttp?: boolean;
}

/** `States.ArrayGetItem` of the UTC date of `$$.Execution.StartTime` (`2026-11-25T…`), part `index` (0 year, 1 month, 2 day). */
function datePart(index: number): string {
    // One-character delimiters only: every character of the second argument splits (http-task-facts.md §10.1).
    return `States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0), '-'), ${index})`;
}

/** One Parallel branch: the sources of one API, at most `maxConcurrency` at a time. */
function apiBranch(api: string, sources: readonly SourceSettings[], target: CollectTarget): StateMachineDefinition {
    const { limits, ...apiTarget } = target.apis[api];
    const ctx = { api: apiTarget, limits, bucket: target.bucket, allowLoopbackHttp: target.allowLoopbackHttp };
    const built = sources.map((source) => ({ source, ...(source.fanOut ? fanOutStates(source, ctx) : sourceStates(source, ctx)) }));
    const processor: Record<string, State> = {
        [`${api}: route`]: {
            Type: "Choice",
            Choices: built.map(({ source, start }) => ({ Variable: "$.source", StringEquals: source.name, Next: start })),
            Default: `${api}: unknown source`,
        },
        [`${api}: unknown source`]: { Type: "Fail", Error: "UnknownSource", Cause: `No states for this source under ${api}.` },
    };
    for (const { states } of built) Object.assign(processor, states);
    return {
        StartAt: `${api}: plan`,
        States: {
            [`${api}: plan`]: { Type: "Pass", Parameters: { "run.$": "$.run", sources: sources.map((s) => s.name) }, Next: `${api}: sources` },
            [`${api}: sources`]: {
                Type: "Map",
                Comment: `The sources of ${api}, ${limits.maxConcurrency} at a time.`,
                ItemsPath: "$.sources",
                ItemSelector: { "source.$": "$$.Map.Item.Value", "run.$": "$.run" },
                MaxConcurrency: limits.maxConcurrency,
                ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: `${api}: route`, States: processor },
                End: true,
            },
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
                Next: "Summarize",
            },
            Summarize: {
                Type: "Pass",
                QueryLanguage: "JSONata",
                Output: jsonataField(`(
                    $sources := $reduce($states.input.results, function($all, $branch) { $append($all, $branch) }, []);
                    {
                        "execution": $states.input.run.execution,
                        "date": $states.input.run.yyyy & '-' & $states.input.run.mm & '-' & $states.input.run.dd,
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
