/**
 * The states of one source: fetch a page, keep the configured fields (`collect-page.ts`), store it
 * as one S3 object, and go on until the last page or the page cap. A fan-out source runs the same
 * loop per item id, in child executions of a Distributed Map that reads the ids from the bucket.
 *
 * Every failure of a source ends in `<source>: failed`, a result with the error, so one failing
 * source never loses the others' data: pages already stored stay, and the run summary names it.
 */
import { awsSdkRetryPolicy, S3_GET_OBJECT, s3PutObject } from "../asl/data-tasks";
import { ApiTarget, dynamicPath, httpRetryPolicy, httpStatusError, httpTask, RETRYABLE_STATUS_CODES, HTTP_SOCKET_ERROR } from "../asl/http-task";
import { joinUrl } from "../asl/endpoint";
import { format, path } from "../asl/payload";
import { Json, Retrier, State, StateMachineDefinition } from "../asl/types";
import { ApiLimits, SourceSettings } from "../stack-config/types";
import { jsonataField, jsonataString, pageTransformExpression } from "./collect-page";

/** The longest error cause a source's result keeps (results travel in Map outputs and the summary event). */
export const MAX_CAUSE_LENGTH = 512;
/**
 * A batch names one failed id in its result, `<id>: <error>` cut to this many characters (the rest
 * are counted): the results of every batch stay in the Map's output, which must fit 256 KiB.
 */
export const NAMED_FAILURE_LENGTH = 100;
/** The largest result a batch returns, in bytes (five counts and one named failure); `tests` check it. */
export const MAX_BATCH_RESULT_BYTES = 200;

/** The placeholder of a fan-out source's path. */
export const ITEM_PLACEHOLDER = "{item}";
/** Item ids a fan-out source accepts in a URL path: anything else fails that item with `InvalidItem`. */
export const ITEM_ID_PATTERN = "^[A-Za-z0-9_-]{1,128}$";

/** Where a source's data goes and who it calls. */
export interface SourceContext {
    readonly api: ApiTarget;
    readonly limits: ApiLimits;
    readonly bucket: string;
    readonly allowLoopbackHttp?: boolean;
}

/**
 * Retries of a page fetch: a 429 waits at least the API's `Retry-After` (Step Functions cannot
 * read the header, so the first interval is set to it, without jitter, which could wait less) and
 * backs off; 5xx and socket errors use the usual jittered policy. Other 4xx are not retried.
 */
export function pageRetryPolicy(limits: ApiLimits): Retrier[] {
    return [
        {
            ErrorEquals: [httpStatusError(429)],
            IntervalSeconds: limits.retryAfterSeconds,
            MaxAttempts: 5,
            BackoffRate: 2,
            MaxDelaySeconds: Math.max(60, limits.retryAfterSeconds),
            JitterStrategy: "NONE",
        },
        ...httpRetryPolicy({ MaxAttempts: 4 }).map((r) => ({
            ...r,
            ErrorEquals: [...RETRYABLE_STATUS_CODES.filter((s) => s !== 429).map(httpStatusError), HTTP_SOCKET_ERROR],
        })),
    ];
}

/** The name of a source's state `step`, e.g. `devices: fetch page`. */
export const stateOf = (source: SourceSettings, step: string) => `${source.name}: ${step}`;

/** The query of the first request: the static query, plus the first page number. */
function firstQuery(source: SourceSettings): Record<string, string> {
    const p = source.pagination;
    return p.style === "page" ? { ...source.query, [p.pageParam]: String(p.firstPage) } : { ...source.query };
}

/** The page loop, from `<source>: first page` to `<source>: done` or `<source>: failed`. */
function pageLoop(source: SourceSettings, ctx: SourceContext, fanOut: boolean): Record<string, State> {
    const s = (step: string) => stateOf(source, step);
    const caught = [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: s("failed") }];
    const [before, after] = source.path.split(ITEM_PLACEHOLDER);
    const endpoint = fanOut
        ? `${jsonataString(joinUrl(ctx.api.baseUrl, before))} & $in.item & ${jsonataString(after)}`
        : jsonataString(joinUrl(ctx.api.baseUrl, source.path));
    const item: Record<string, string> = fanOut ? { "item.$": "$.item" } : {};
    const keyTemplate = `${source.name}/{}/{}/{}/{}/${fanOut ? "{}." : ""}{}.json`;
    const keyArgs = [path("$.run.yyyy"), path("$.run.mm"), path("$.run.dd"), path("$.run.execution"), ...(fanOut ? [path("$.item")] : []), path("$.page")];
    return {
        [s("first page")]: {
            Type: "Pass",
            Parameters: { source: source.name, ...item, "run.$": "$.run", page: 0, items: 0, request: { query: firstQuery(source) } },
            Next: s("fetch page"),
        },
        [s("fetch page")]: httpTask({
            api: ctx.api,
            allowLoopbackHttp: ctx.allowLoopbackHttp,
            path: fanOut ? dynamicPath(`${before}{}${after}`, path("$.item")) : source.path,
            method: "GET",
            queryParameters: path("$.request.query"),
            resultPath: "$.response",
            retry: pageRetryPolicy(ctx.limits),
            catch: caught,
            comment: `GET one page of ${source.name} (${source.pagination.style} pagination).`,
            transition: { Next: s("keep fields") },
        }),
        [s("keep fields")]: {
            Type: "Pass",
            QueryLanguage: "JSONata",
            Comment: `Keeps ${source.fields.join(", ")} of each item and works out the next page.`,
            Output: pageTransformExpression(source, endpoint, new URL(ctx.api.baseUrl).origin),
            Next: s("check page"),
        },
        [s("check page")]: {
            Type: "Choice",
            Choices: [
                { Variable: "$.next", StringEquals: "invalid", Next: s("unexpected page") },
                { Variable: "$.data[0]", IsPresent: true, Next: s("store page") },
            ],
            Default: s("more pages?"),
        },
        [s("store page")]: s3PutObject({
            bucket: ctx.bucket,
            key: format(keyTemplate, ...keyArgs),
            body: path("$.data"),
            catch: caught,
            comment: `s3://${ctx.bucket}/${keyTemplate.replace(/\{\}/g, "…")}`,
            transition: { Next: s("more pages?") },
        }),
        [s("more pages?")]: { Type: "Choice", Choices: [{ Variable: "$.next", StringEquals: "fetch", Next: s("fetch page") }], Default: s("done") },
        [s("done")]: {
            Type: "Pass",
            Parameters: { source: source.name, ...item, status: "SUCCEEDED", "pages.$": "$.page", "items.$": "$.items", "capped.$": "$.capped" },
            End: true,
        },
        [s("unexpected page")]: {
            Type: "Pass",
            Parameters: { "page.$": "$.page", "items.$": "$.items", ...item, error: { Error: "UnexpectedResponse", "Cause.$": "$.problem" } },
            Next: s("failed"),
        },
        // JSONata, so a caught error without a `Cause` cannot fail it, and long causes are cut.
        [s("failed")]: {
            Type: "Pass",
            QueryLanguage: "JSONata",
            Output: jsonataField(`{
                "source": ${jsonataString(source.name)},
                "item": $type($states.input.item) = 'string' ? $substring($states.input.item, 0, 128) : undefined,
                "status": "FAILED",
                "pages": $type($states.input.page) = 'number' ? $states.input.page : 0,
                "items": $type($states.input.items) = 'number' ? $states.input.items : 0,
                "error": $type($states.input.error.Error) = 'string' ? $substring($states.input.error.Error, 0, 128) : 'Unknown',
                "cause": $type($states.input.error.Cause) = 'string' ? $substring($states.input.error.Cause, 0, ${MAX_CAUSE_LENGTH}) : ''
            }`),
            End: true,
        },
    };
}

/** The states of a source whose path has no placeholder: its page loop. */
export function sourceStates(source: SourceSettings, ctx: SourceContext): { start: string; states: Record<string, State> } {
    return { start: stateOf(source, "first page"), states: pageLoop(source, ctx, false) };
}

/**
 * The states of a fan-out source: a Distributed Map over the ids in `fanOut.itemList`, batched,
 * each child execution paging every id of its batch in turn, so at most the API's
 * `maxConcurrency` requests of this source are in flight. A failed id is counted by its batch (the
 * batch's other ids are stored); the source fails when more than `toleratedFailurePercentage` of
 * its ids failed. Its result is appended to the branch's `results` before going on to `next`.
 */
export function fanOutStates(source: SourceSettings, ctx: SourceContext, next: string): { start: string; states: Record<string, State> } {
    const fanOut = source.fanOut;
    if (!fanOut) throw new Error(`Source \`${source.name}\` has no \`fanOut\`.`);
    const s = (step: string) => stateOf(source, step);
    const itemStates: Record<string, State> = {
        [s("check item")]: {
            Type: "Choice",
            QueryLanguage: "JSONata",
            Comment: "An id from the list goes into a URL path: only plain ids do.",
            Choices: [
                {
                    Condition: jsonataField(`$type($states.input.item) = 'string' and $contains($states.input.item, /${ITEM_ID_PATTERN}/)`),
                    Next: s("first page"),
                },
            ],
            Default: s("invalid item"),
        },
        [s("invalid item")]: {
            Type: "Pass",
            Parameters: {
                "item.$": "States.JsonToString($.item)",
                page: 0,
                items: 0,
                error: { Error: "InvalidItem", Cause: `The id is not ${ITEM_ID_PATTERN}.` },
            },
            Next: s("failed"),
        },
        ...pageLoop(source, ctx, true),
    };
    const batch: StateMachineDefinition = {
        StartAt: s("items of batch"),
        States: {
            [s("items of batch")]: {
                Type: "Map",
                ItemsPath: "$.Items",
                ItemSelector: { "item.$": "$$.Map.Item.Value", "run.$": "$.BatchInput.run" },
                MaxConcurrency: 1,
                ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: s("check item"), States: itemStates },
                ResultPath: "$.results",
                Next: s("batch summary"),
            },
            // A failed id is counted, not a failed child: the batch's other ids are stored and counted too.
            [s("batch summary")]: {
                Type: "Pass",
                QueryLanguage: "JSONata",
                Output: jsonataField(`(
                    $results := $states.input.results;
                    $failed := $filter($results, function($r) { $r.status = 'FAILED' });
                    {
                        "pages": $sum([$results.pages]),
                        "items": $sum([$results.items]),
                        "ids": $count($results),
                        "failedIds": $count($failed),
                        "failed": [$failed[[0]].$substring(item & ': ' & error, 0, ${NAMED_FAILURE_LENGTH})]
                    }
                )`),
                End: true,
            },
        },
    };
    /** Adds this source's result to the branch's `results`, keeping `run`, and goes on. */
    const appendResult = (result: string): State => ({
        Type: "Pass",
        QueryLanguage: "JSONata",
        Output: jsonataField(`{ "run": $states.input.run, "results": [$append($states.input.results, [${result}])] }`),
        Next: next,
    });
    const states: Record<string, State> = {
        [s("fan out")]: {
            Type: "Map",
            Comment: `Pages ${source.path} for every id in s3://${ctx.bucket}/${fanOut.itemList}, ${fanOut.batchSize} ids per child execution.`,
            Label: source.name,
            ItemReader: {
                Resource: S3_GET_OBJECT,
                // The cap keeps the Map's output (one small result per batch) far below 256 KiB.
                ReaderConfig: { InputType: "JSON", MaxItems: fanOut.maxItems },
                Parameters: { Bucket: ctx.bucket, Key: fanOut.itemList },
            },
            ItemBatcher: { MaxItemsPerBatch: fanOut.batchSize, BatchInput: { "run.$": "$.run" } },
            MaxConcurrency: ctx.limits.maxConcurrency,
            ToleratedFailurePercentage: fanOut.toleratedFailurePercentage,
            ItemProcessor: { ...batch, ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } },
            ResultPath: "$.fanOut",
            Retry: awsSdkRetryPolicy().map((r) => ({ ...r, ErrorEquals: ["States.ItemReaderFailed"] })),
            Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: s("fan-out failed") }],
            Next: s("fan-out summary"),
        },
        // Totals of the child executions. A child that failed outright (tolerated by the Map) left no
        // result: its ids are unknown, so each such batch counts as full but the last (which may be
        // short) as one id, a lower bound. Past the tolerated share the source failed, with the
        // counts of what was stored.
        [s("fan-out summary")]: appendResult(`(
            $batches := $states.input.fanOut;
            $stored := $filter($batches, function($r) { $type($r.pages) = 'number' });
            $lost := $count($batches) - $count($stored);
            $lostIds := $lost > 0 ? ($lost - 1) * ${fanOut.batchSize} + 1 : 0;
            $ids := $sum([$stored.ids]) + $lostIds;
            $failedIds := $sum([$stored.failedIds]) + $lostIds;
            $over := $ids > 0 and $failedIds * 100 > $ids * ${fanOut.toleratedFailurePercentage};
            $named := $join([$stored.failed][[0..2]], '; ');
            {
                "source": ${jsonataString(source.name)},
                "status": $over ? 'FAILED' : ($failedIds > 0 ? 'PARTIAL' : 'SUCCEEDED'),
                "pages": $sum([$stored.pages]),
                "items": $sum([$stored.items]),
                "ids": $ids,
                "failedIds": $failedIds,
                "failedBatches": $lost,
                "error": $over ? 'ItemsFailed' : undefined,
                "cause": $over ? $substring($string($failedIds) & ' of ' & ($lost > 0 ? 'at least ' : '') & $string($ids) & ' ids failed (tolerated: ${fanOut.toleratedFailurePercentage}%)' & ($named ? ', e.g. ' & $named : ''), 0, ${MAX_CAUSE_LENGTH}) : undefined
            }
        )`),
        // The Map Run itself failed (list unreadable, too many children failed): what it stored is not counted here.
        [s("fan-out failed")]: appendResult(
            `{ "source": ${jsonataString(source.name)}, "status": "FAILED", "pages": 0, "items": 0, "error": $string($states.input.error.Error), "cause": $substring($string($states.input.error.Cause), 0, ${MAX_CAUSE_LENGTH}) }`,
        ),
    };
    return { start: s("fan out"), states };
}

/** A source's result as the run summary lists it (documentation of the shape the states build). */
export type SourceResult = {
    readonly source: string;
    readonly status: "SUCCEEDED" | "PARTIAL" | "FAILED";
    readonly pages: number;
    readonly items: number;
} & Record<string, Json>;
