/**
 * A Step Functions interpreter of our own, written from AWS's documented semantics and checked
 * against executions recorded on AWS (see docs/emulator.md "Why our own engine"). `new Engine(def)`
 * validates the definition once; `run(input, options)` executes it with local Task handlers and
 * returns the status, output or error, and (when asked) a history imitating `GetExecutionHistory`.
 */
import { randomUUID } from "crypto";
import { Stopped } from "./env";
import { runMachine } from "./machine";
import { FailStateError } from "./simple-states";
import { Run } from "./run";
import { EngineError } from "./scope";
import { QueryLanguage, Rec, RunOptions, RunResult } from "./types";
import { machineProblems } from "./validate";

export type { ContextOptions, HistoryEvent, RunOptions, RunResult, TaskHandler } from "./types";

/** A validated state machine definition, ready to run any number of executions. */
export class Engine {
    private readonly definition: Rec;

    /** Throws with every problem when `definition` is not a valid state machine. */
    constructor(definition: unknown) {
        const problems = machineProblems(definition);
        if (problems.length > 0) throw new Error(`Invalid state machine definition:\n- ${problems.join("\n- ")}`);
        this.definition = definition as Rec;
    }

    /** Runs one execution; never rejects for a failed execution. */
    async run(input: unknown, options: RunOptions = {}): Promise<RunResult> {
        const execution = options.context?.Execution ?? {};
        const machine = options.context?.StateMachine ?? {};
        const name = execution.Name ?? randomUUID();
        const machineName = machine.Name ?? "local";
        const Execution: Rec = {
            Id: execution.Id ?? `arn:aws:states:us-east-1:123456789012:execution:${machineName}:${name}`,
            Name: name,
            Input: input,
            StartTime: execution.StartTime ?? new Date().toISOString(),
            RoleArn: execution.RoleArn === undefined ? "arn:aws:iam::123456789012:role/local" : execution.RoleArn,
        };
        if (execution.RedriveCount !== null) Execution.RedriveCount = execution.RedriveCount ?? 0;
        const run = new Run(options, {
            Execution,
            StateMachine: { Id: machine.Id ?? `arn:aws:states:us-east-1:123456789012:stateMachine:${machineName}`, Name: machineName },
            StateName: options.context?.StateName,
        });
        run.queryLanguage = (this.definition.QueryLanguage as QueryLanguage | undefined) ?? "JSONPath";
        run.emit("ExecutionStarted", undefined, input);
        try {
            const output = await runMachine(run, this.definition, input, {}, new Stopped(), run.queryLanguage);
            run.emit("ExecutionSucceeded", undefined, output);
            return { status: "SUCCEEDED", output, events: run.events };
        } catch (e) {
            if (e instanceof FailStateError) {
                run.emit("ExecutionFailed", undefined, undefined, e.error, e.failCause);
                return { status: "FAILED", error: e.error, cause: e.failCause, events: run.events };
            }
            const error = e instanceof EngineError || e instanceof Error ? e : new EngineError("States.Runtime", String(e));
            run.emit("ExecutionFailed", undefined, undefined, error.name, error.message);
            return { status: "FAILED", error: error.name, cause: error.message, events: run.events };
        }
    }
}
