/**
 * A fan-out source: a Distributed Map over the ids of an item list, batched, each child paging the
 * ids of its batch with the page loop of `collect-source.ts`, and the child type (Express or
 * Standard) its worst case allows.
 */
import { awsSdkRetryPolicy, S3_GET_OBJECT } from "../../asl/data-tasks";
import { State, StateMachineDefinition } from "../../asl/types";
import { SourceSettings } from "../../stack-config/types";
import { MAX_BATCHES } from "../../stack-config/collect-rules";
import { jsonataField, jsonataString } from "./page";
import { budgetWorstSeconds, ChildPlan, EXPRESS_MAX_SECONDS, pageWorstSeconds, planChildren } from "./express";
import { ITEM_ID_PATTERN, MAX_CAUSE_LENGTH, NAMED_FAILURE_LENGTH, pageLoop, pageTasksOf, SourceContext, stateOf } from "./source";

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
    const itemStatesOf = (express: boolean): Record<string, State> => ({
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
        ...pageLoop(source, ctx, true, express),
    });
    const { plan, batchSize } = planFanOut(source, ctx, (express) => ({ StartAt: s("check item"), States: itemStatesOf(express) }));
    const itemStates = itemStatesOf(plan.executionType === "EXPRESS");
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
            Comment: `Pages ${source.path} for every id in s3://${ctx.bucket}/${fanOut.itemList}, ${batchSize} ids per child execution. ${plan.reason}`,
            Label: source.name,
            ItemReader: {
                Resource: S3_GET_OBJECT,
                // The cap keeps the Map's output (one small result per batch) far below 256 KiB.
                ReaderConfig: { InputType: "JSON", MaxItems: fanOut.maxItems },
                Parameters: { Bucket: ctx.bucket, Key: fanOut.itemList },
            },
            ItemBatcher: { MaxItemsPerBatch: batchSize, BatchInput: { "run.$": "$.run" } },
            MaxConcurrency: ctx.limits.maxConcurrency,
            ToleratedFailurePercentage: fanOut.toleratedFailurePercentage,
            ItemProcessor: { ...batch, ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: plan.executionType } },
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
            $lostIds := $lost > 0 ? ($lost - 1) * ${batchSize} + 1 : 0;
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

/**
 * The child type and batch size of a fan-out source. Its child runs each id of a batch in turn,
 * each id with a retry budget of its own (an inline Map iteration is a scope of its own, so a
 * budget variable cannot be shared by the ids of a batch), so one id's worst case is proven from
 * the Express item loop and the batch is cut to as many ids as fit 300 s, but never to more child
 * executions than `MAX_BATCHES` (the Map's output must fit 256 KiB). Else the configured batch runs
 * in Standard children, with the reason.
 */
export function planFanOut(
    source: SourceSettings,
    ctx: SourceContext,
    itemLoop: (express: boolean) => StateMachineDefinition,
): { plan: ChildPlan; batchSize: number } {
    const fanOut = source.fanOut as NonNullable<SourceSettings["fanOut"]>;
    const express = itemLoop(true);
    const page = pageWorstSeconds(express, pageTasksOf(source));
    const perId = source.maxPages * page + budgetWorstSeconds(express).seconds;
    const fits = Math.min(fanOut.batchSize, Math.floor(EXPRESS_MAX_SECONDS / perId));
    if (fits >= 1 && Math.ceil(fanOut.maxItems / fits) <= MAX_BATCHES) {
        const what = `batches of ${fits} id(s)${fits < fanOut.batchSize ? ` (${fanOut.batchSize} configured, cut to fit)` : ""} × ${source.maxPages} page(s), each id with a budget of ${ctx.limits.retryBudget} retries,`;
        return { plan: planChildren(what, fits * source.maxPages, page, fits * budgetWorstSeconds(express).seconds), batchSize: fits };
    }
    const standard = itemLoop(false);
    const why =
        fits >= 1
            ? `batches of ${fits} id(s) would fit Express's ${EXPRESS_MAX_SECONDS} s but make more than ${MAX_BATCHES} child executions for ${fanOut.maxItems} ids; `
            : `one id of ${source.maxPages} page(s) can take ${Math.ceil(perId)} s with its retry budget, more than Express's ${EXPRESS_MAX_SECONDS} s; `;
    const plan = planChildren(
        `batches of ${fanOut.batchSize} id(s) × ${source.maxPages} page(s)`,
        fanOut.batchSize * source.maxPages,
        pageWorstSeconds(standard, pageTasksOf(source)),
    );
    return { plan: { ...plan, reason: `${plan.executionType === "STANDARD" ? why : ""}${plan.reason}` }, batchSize: fanOut.batchSize };
}
