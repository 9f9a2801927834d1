import * as assert from "assert";
import { HTTP_INVOKE } from "../../deploy/asl/http-task";
import { Retrier, StateMachineDefinition, TaskState } from "../../deploy/asl/types";
import { distributedMapHandler } from "../../tools/emulator/distributed-map";
import {
    budgetedRetry,
    budgetWorstSeconds,
    EXPRESS_MAX_SECONDS,
    pageWorstSeconds,
    planChildren,
    retryBound,
    taskWorstSeconds,
} from "../../deploy/workflows/collect/express";

const task = (resource: string, extra: Partial<TaskState> = {}): TaskState => ({ Type: "Task", Resource: resource, End: true, ...extra }) as TaskState;
const retrier = (r: Partial<Retrier>): Retrier => ({ ErrorEquals: ["States.ALL"], ...r });

/** Pure: what mocks cannot prove is that AWS ends an Express child at exactly 300 s (docs/aws-facts.md §20 says so). */
describe("the child type of the collection's Distributed Maps (deploy/workflows/collect/express.ts)", () => {
    it("bounds retries by their longest waits, capped by MaxDelaySeconds, each retrier counting its own attempts", () => {
        assert.deepEqual(retryBound([]), { retries: 0, waitSeconds: 0 });
        assert.deepEqual(retryBound([retrier({ IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 5, MaxDelaySeconds: 60 })]), { retries: 5, waitSeconds: 31 });
        assert.deepEqual(retryBound([retrier({ IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 3, MaxDelaySeconds: 15 })]), { retries: 3, waitSeconds: 40 });
        assert.deepEqual(retryBound([retrier({ MaxAttempts: 0 }), retrier({ IntervalSeconds: 2, BackoffRate: 1, MaxAttempts: 2 })]), {
            retries: 2,
            waitSeconds: 4,
        });
    });

    it("takes 60 s per HTTP attempt unless TimeoutSeconds is shorter, and an unbounded Task as unbounded", () => {
        assert.equal(taskWorstSeconds(task(HTTP_INVOKE)), 60);
        assert.equal(
            taskWorstSeconds(task(HTTP_INVOKE, { TimeoutSeconds: 5, Retry: [retrier({ IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2 })] })),
            3 * 5 + 3,
        );
        assert.equal(taskWorstSeconds(task("arn:aws:states:::aws-sdk:s3:putObject")), Infinity);
        assert.equal(taskWorstSeconds({ Type: "Pass", End: true }), 0);
    });

    it("runs Express children only when pages × the page's worst case fits 300 s, and says why either way", () => {
        const loop: StateMachineDefinition = {
            StartAt: "f",
            States: {
                f: task(HTTP_INVOKE, { TimeoutSeconds: 5 }),
                s: task("arn:aws:states:::aws-sdk:s3:putObject", { TimeoutSeconds: 5 }),
            },
        };
        const page = pageWorstSeconds(loop, ["f", "s"]);
        assert.equal(page, 10);
        const fits = planChildren("a source", EXPRESS_MAX_SECONDS / page, page);
        assert.deepEqual([fits.executionType, fits.childWorstSeconds], ["EXPRESS", 300]);
        assert.match(fits.reason, /^Express children: a source fetch at most 30 page\(s\) of at most 10 s each \(300 s\)/);
        const over = planChildren("a source", 31, page);
        assert.deepEqual([over.executionType, over.childWorstSeconds], ["STANDARD", 310]);
        assert.match(over.reason, /^Standard children: .*310 s in all, more than Express's 300 s\.$/);
        assert.match(planChildren("x", 1, Infinity).reason, /unbounded/);
    });

    it("is recorded by the local Map Run, so measured counts know how AWS would bill the children", async () => {
        const runs: { executionType: string }[] = [];
        const state = (type: "EXPRESS" | "STANDARD") => ({
            Type: "Map",
            ItemsPath: "$.items",
            ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: type }, StartAt: "p", States: { p: { Type: "Pass", End: true } } },
        });
        for (const type of ["EXPRESS", "STANDARD"] as const)
            await distributedMapHandler(
                "m",
                state(type),
                async () => ({ status: "SUCCEEDED", output: 1 }),
                undefined,
                (r) => runs.push(r),
            )({ items: [1, 2] });
        assert.deepEqual(
            runs.map((r) => r.executionType),
            ["EXPRESS", "STANDARD"],
        );
    });
});

describe("the retry budget of an Express page loop (deploy/workflows/collect/express.ts)", () => {
    it("adds budget × (Wait + the retried Task's worst), the slowest kind when several share the budget", () => {
        const loop: StateMachineDefinition = {
            StartAt: "f",
            States: {
                f: task(HTTP_INVOKE, { TimeoutSeconds: 10 }),
                s: task("arn:aws:states:::aws-sdk:s3:putObject", { TimeoutSeconds: 5 }),
                ...budgetedRetry({ task: "f", check: "retry f?", wait: "wait f", failed: "x" }, 3, 2),
                ...budgetedRetry({ task: "s", check: "retry s?", wait: "wait s", failed: "x" }, 3, 2),
            },
        };
        assert.deepEqual(budgetWorstSeconds(loop), { budget: 3, seconds: 3 * (2 + 10) });
        assert.deepEqual(budgetWorstSeconds({ StartAt: "f", States: { f: loop.States.f } }), { budget: 0, seconds: 0 });
        assert.equal(planChildren("a source", 10, 15, 36).childWorstSeconds, 186);
    });
});
