/**
 * Which kind of child execution a Distributed Map of the collection runs. Express children are
 * billed per request and GB-second instead of per state transition (docs/aws-facts.md §20), but
 * each must end within 5 minutes, so a Map runs them only when the worst case of one child fits:
 *
 *   pages per child × (every attempt of every Task of one page at its timeout + every retry wait)
 *   + the child's retry budget × (the slowest budgeted retry: its Wait + its Task's worst)
 *
 * read from the child's own built definition (each Task's `TimeoutSeconds`, or 60 s for an HTTP
 * Task, which cannot run longer, §0; its own `Retry` at the longest waits, jitter ignored; the
 * budget from the Choice that tests `$retries`, see `collect-source.ts`). Choice and Pass states
 * are counted as taking no time. A Task with no bound at all makes the child unbounded, hence
 * Standard. Otherwise the Map stays Standard, and the reason is in its `Comment`, so the
 * synthesized definition says why.
 */
import { HTTP_INVOKE, HTTP_SOCKET_ERROR, httpStatusError, RETRYABLE_STATUS_CODES } from "../../asl/http-task";
import { Retrier, State, StateMachineDefinition } from "../../asl/types";

/** An Express execution's maximum duration, in seconds (docs/aws-facts.md §20). */
export const EXPRESS_MAX_SECONDS = 300;
/** The hard limit of one HTTP Task attempt, in seconds (docs/aws-facts.md §0). */
export const HTTP_ATTEMPT_MAX_SECONDS = 60;

/** The child type chosen for one Distributed Map, and why. */
export interface ChildPlan {
    readonly executionType: "STANDARD" | "EXPRESS";
    /** Pages one child execution fetches at most. */
    readonly pagesPerChild: number;
    /** The longest one page can take, in seconds (Infinity when a Task is unbounded). */
    readonly pageWorstSeconds: number;
    /** `pagesPerChild × pageWorstSeconds`. */
    readonly childWorstSeconds: number;
    /** One sentence for the Map's `Comment` and the cost report. */
    readonly reason: string;
}

/** Retries and the sum of their longest waits, over every retrier of a state (each counts its own attempts). */
export function retryBound(retriers: readonly Retrier[] = []): { retries: number; waitSeconds: number } {
    let retries = 0;
    let waitSeconds = 0;
    for (const r of retriers) {
        const attempts = r.MaxAttempts ?? 3;
        for (let k = 0; k < attempts; k++) {
            const wait = (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** k;
            waitSeconds += r.MaxDelaySeconds === undefined ? wait : Math.min(wait, r.MaxDelaySeconds);
        }
        retries += attempts;
    }
    return { retries, waitSeconds };
}

/** The longest one visit of `state` can take: every attempt at its timeout plus every wait. */
export function taskWorstSeconds(state: State): number {
    if (state.Type !== "Task") return 0;
    const timeout = state.TimeoutSeconds ?? (state.Resource === HTTP_INVOKE ? HTTP_ATTEMPT_MAX_SECONDS : Infinity);
    const { retries, waitSeconds } = retryBound(state.Retry);
    return (1 + retries) * timeout + waitSeconds;
}

/** The workflow variable an Express page loop counts its budgeted retries in. */
export const RETRIES_VARIABLE = "retries";

/**
 * The worst case the retry budget of `loop` adds: for every Choice `$retries < N` → Wait → Task of
 * the loop, N × (the Wait's seconds + that Task's worst), the largest such (the budget is shared, so
 * N retries can all be the slowest kind). 0 when the loop has no budget.
 */
export function budgetWorstSeconds(loop: StateMachineDefinition): { budget: number; seconds: number } {
    let budget = 0;
    let seconds = 0;
    for (const state of Object.values(loop.States)) {
        if (state.Type !== "Choice") continue;
        for (const rule of state.Choices) {
            if (rule.Variable !== `$${RETRIES_VARIABLE}` || rule.NumericLessThan === undefined) continue;
            const wait = loop.States[rule.Next];
            const waitSeconds = wait?.Type === "Wait" ? (wait.Seconds ?? Infinity) : 0;
            const retried = wait?.Type === "Wait" && "Next" in wait && wait.Next ? loop.States[wait.Next] : undefined;
            const perRetry = waitSeconds + (retried ? taskWorstSeconds(retried) : Infinity);
            budget = Math.max(budget, rule.NumericLessThan);
            seconds = Math.max(seconds, rule.NumericLessThan * perRetry);
        }
    }
    return { budget, seconds };
}

/** The worst case of one page: the Tasks of the page loop (states named `<source>: …` that run once per page). */
export function pageWorstSeconds(loop: StateMachineDefinition, pageTasks: readonly string[]): number {
    return pageTasks.reduce((sum, name) => sum + taskWorstSeconds(loop.States[name]), 0);
}

/**
 * Chooses the child type of a Map whose children fetch at most `pagesPerChild` pages of `pageWorst`
 * seconds each, plus `budgetSeconds` of budgeted retries in all.
 */
export function planChildren(what: string, pagesPerChild: number, pageWorst: number, budgetSeconds = 0): ChildPlan {
    const childWorstSeconds = pagesPerChild * pageWorst + budgetSeconds;
    const fits = childWorstSeconds <= EXPRESS_MAX_SECONDS;
    const worst = Number.isFinite(childWorstSeconds) ? `${Math.ceil(childWorstSeconds)} s` : "unbounded";
    const reason = fits
        ? `Express children: ${what} fetch at most ${pagesPerChild} page(s) of at most ${Math.ceil(pageWorst)} s each${budgetSeconds ? ` plus ${Math.ceil(budgetSeconds)} s of budgeted retries` : ""} (${worst}), within Express's ${EXPRESS_MAX_SECONDS} s.`
        : `Standard children: ${what} fetch up to ${pagesPerChild} page(s) of up to ${Number.isFinite(pageWorst) ? `${Math.ceil(pageWorst)} s` : "unbounded time"} each${budgetSeconds ? ` plus ${Number.isFinite(budgetSeconds) ? `${Math.ceil(budgetSeconds)} s` : "unbounded time"} of budgeted retries` : ""} (every attempt at its timeout plus every retry wait), ${worst} in all, more than Express's ${EXPRESS_MAX_SECONDS} s.`;
    return { executionType: fits ? "EXPRESS" : "STANDARD", pagesPerChild, pageWorstSeconds: pageWorst, childWorstSeconds, reason };
}

/** The errors of a page Task that a child's retry budget retries: what Standard children's `Retry` retries, and a timed-out attempt. */
export const BUDGETED_FETCH_ERRORS = [...RETRYABLE_STATUS_CODES.map(httpStatusError), HTTP_SOCKET_ERROR, "States.Timeout"];
/** Same for `s3:putObject`: the SDK's throttling and 5xx surface as `States.TaskFailed`-class errors (see `awsSdkRetryPolicy`). */
export const BUDGETED_STORE_ERRORS = ["States.TaskFailed", "States.Timeout"];

/**
 * The budgeted retry of Task `task` in an Express page loop: its `Catch` goes to `<retry?>`, which
 * goes on to `<wait>` while `$retries` < `budget` (the Wait adds one), or to `failed` with the error
 * of the last attempt. The Task itself has no `Retry`, so the budget bounds every retry of the child.
 */
export function budgetedRetry(
    names: { task: string; check: string; wait: string; failed: string },
    budget: number,
    waitSeconds: number,
): Record<string, State> {
    return {
        [names.check]: {
            Type: "Choice",
            Comment: `Retries ${names.task} while the child's budget of ${budget} retries lasts.`,
            Choices: [{ Variable: `$${RETRIES_VARIABLE}`, NumericLessThan: budget, Next: names.wait }],
            Default: names.failed,
        },
        [names.wait]: {
            Type: "Wait",
            Seconds: waitSeconds,
            Assign: { [`${RETRIES_VARIABLE}.$`]: `States.MathAdd($${RETRIES_VARIABLE}, 1)` },
            Next: names.task,
        },
    };
}
