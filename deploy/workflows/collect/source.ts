/**
 * The states of one source: fetch a page and keep the configured fields in the same JSONata HTTP
 * Task (`collect-fetch.ts`, `collect-page.ts`), store it as one S3 object, and go on until the last
 * page or the page cap. A fan-out source runs the same loop per item id, in child executions of a
 * Distributed Map that reads the ids from the bucket (`collect-fanout.ts`).
 *
 * Every failure of a source ends in `<source>: failed`, a result with the error, so one failing
 * source never loses the others' data: pages already stored stay, and the run summary names it.
 */
import { s3PutObject } from "../../asl/data-tasks";
import { ApiTarget, httpRetryPolicy, httpStatusError, RETRYABLE_STATUS_CODES, HTTP_SOCKET_ERROR } from "../../asl/http-task";
import { format, path } from "../../asl/payload";
import { Json, Retrier, State, TaskState } from "../../asl/types";
import { ApiLimits, SourceSettings } from "../../stack-config/types";
import { jsonataField, jsonataString, PAGINATION_LOOP } from "./page";
import { pageFetchTask } from "./fetch";
import { BUDGETED_FETCH_ERRORS, BUDGETED_STORE_ERRORS, budgetedRetry, RETRIES_VARIABLE } from "./express";

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

/** The Tasks a source runs once per page (what `collect-express.ts` sums for a page's worst case). */
export const pageTasksOf = (source: SourceSettings) => [stateOf(source, "fetch page"), stateOf(source, "store page")];

/** Each attempt to store a page (a few KiB) may take this long before `States.Timeout`; UNKNOWN how long S3 can take, 10 s is generous. */
export const STORE_TIMEOUT_SECONDS = 10;

/** The query of the first request: the static query, plus the first page number. */
function firstQuery(source: SourceSettings): Record<string, string> {
    const p = source.pagination;
    return p.style === "page" ? { ...source.query, [p.pageParam]: String(p.firstPage) } : { ...source.query };
}

/** A Task without its `Retry`: in an Express loop the child's budget retries instead. */
function withoutRetry(task: TaskState): TaskState {
    const { Retry: _retry, ...rest } = task;
    return rest as TaskState;
}

/**
 * The page loop, from `<source>: first page` to `<source>: done` or `<source>: failed`. For an
 * Express child (`express`), each HTTP attempt is cut at the API's `attemptTimeoutSeconds` and no
 * Task has a `Retry`: a retryable failure goes through the child's budget (`collect-express.ts`),
 * `retryBudget` retries in all, each after `retryAfterSeconds`. Otherwise (Standard children) each
 * Task retries on its own, as many times per page as `pageRetryPolicy` says.
 *
 * Keys are made from the run (the parent's execution name and date), the item and the page
 * number, never from the child's own execution: an Express child runs at least once, and a
 * re-run of it writes the very same keys again (docs/aws-facts.md §20).
 */
export function pageLoop(source: SourceSettings, ctx: SourceContext, fanOut: boolean, express = false): Record<string, State> {
    const s = (step: string) => stateOf(source, step);
    const caught = [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: s("failed") }];
    const budgeted = (errors: readonly string[], check: string) => (express ? [{ ErrorEquals: errors, ResultPath: "$.error", Next: s(check) }] : []);
    const item: Record<string, string> = fanOut ? { "item.$": "$.item" } : {};
    const keyTemplate = `${source.name}/{}/{}/{}/{}/${fanOut ? "{}." : ""}{}.json`;
    const keyArgs = [path("$.run.yyyy"), path("$.run.mm"), path("$.run.dd"), path("$.run.execution"), ...(fanOut ? [path("$.item")] : []), path("$.page")];
    return {
        [s("first page")]: {
            Type: "Pass",
            Parameters: { source: source.name, ...item, "run.$": "$.run", page: 0, items: 0, request: { query: firstQuery(source) }, seen: [] },
            ...(express ? { Assign: { [RETRIES_VARIABLE]: 0 } } : {}),
            Next: s("fetch page"),
        },
        [s("fetch page")]: pageFetchTask({
            source,
            baseUrl: ctx.api.baseUrl,
            connectionArn: ctx.api.connectionArn,
            itemPlaceholder: fanOut ? ITEM_PLACEHOLDER : undefined,
            retry: express ? undefined : pageRetryPolicy(ctx.limits),
            timeoutSeconds: express ? ctx.limits.attemptTimeoutSeconds : undefined,
            catchTo: [...(express ? [{ errors: BUDGETED_FETCH_ERRORS, next: s("retry fetch?") }] : []), { errors: ["States.ALL"], next: s("failed") }],
            next: s("check page"),
        }),
        [s("check page")]: {
            Type: "Choice",
            Choices: [
                { Variable: "$.next", StringEquals: "invalid", Next: s("unexpected page") },
                { Variable: "$.data[0]", IsPresent: true, Next: s("store page") },
            ],
            Default: s("more pages?"),
        },
        [s("store page")]: (express ? withoutRetry : (t: TaskState) => t)(
            s3PutObject({
                bucket: ctx.bucket,
                key: format(keyTemplate, ...keyArgs),
                body: path("$.data"),
                catch: [...budgeted(BUDGETED_STORE_ERRORS, "retry store?"), ...caught],
                timeoutSeconds: STORE_TIMEOUT_SECONDS,
                comment: `s3://${ctx.bucket}/${keyTemplate.replace(/\{\}/g, "…")}`,
                transition: { Next: s("more pages?") },
            }),
        ),
        ...(express
            ? {
                  ...budgetedRetry(
                      { task: s("fetch page"), check: s("retry fetch?"), wait: s("wait to fetch"), failed: s("failed") },
                      ctx.limits.retryBudget,
                      ctx.limits.retryAfterSeconds,
                  ),
                  ...budgetedRetry(
                      { task: s("store page"), check: s("retry store?"), wait: s("wait to store"), failed: s("failed") },
                      ctx.limits.retryBudget,
                      ctx.limits.retryAfterSeconds,
                  ),
              }
            : {}),
        [s("more pages?")]: {
            Type: "Choice",
            Choices: [
                { Variable: "$.next", StringEquals: "fetch", Next: s("fetch page") },
                { Variable: "$.next", StringEquals: "loop", Next: s("pagination loop") },
            ],
            Default: s("done"),
        },
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
        // The page that pointed back is stored; fetching on would store the same pages again.
        [s("pagination loop")]: {
            Type: "Pass",
            Parameters: { "page.$": "$.page", "items.$": "$.items", ...item, error: { Error: PAGINATION_LOOP, "Cause.$": "$.loop" } },
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

/** The states of a source whose path has no placeholder: its page loop (`express`: for an Express child). */
export function sourceStates(source: SourceSettings, ctx: SourceContext, express = false): { start: string; states: Record<string, State> } {
    return { start: stateOf(source, "first page"), states: pageLoop(source, ctx, false, express) };
}

/** A source's result as the run summary lists it (documentation of the shape the states build). */
export type SourceResult = {
    readonly source: string;
    readonly status: "SUCCEEDED" | "PARTIAL" | "FAILED";
    readonly pages: number;
    readonly items: number;
} & Record<string, Json>;
