/**
 * Runs one state machine (the definition, a Parallel branch or a Map item processor) from StartAt to
 * an end: each state is entered, run by its type, its assignments committed (after the state, so all
 * of a state's expressions saw the variables from before it), and exited towards its Next.
 * Per-state `QueryLanguage` overrides the definition's (AWS "Query language in Step Functions").
 */
import { runMap, runParallel } from "./branches";
import { contextOf, Outcome, StateEnv, Stopped } from "./env";
import { runChoice, runFail, runPass, runSucceed, runWait } from "./simple-states";
import { runTask } from "./task";
import { Run } from "./run";
import { EngineError } from "./scope";
import { QueryLanguage, Rec } from "./types";

/** What a state of a branch or iteration throws when a sibling failed first. */
export class StoppedError extends EngineError {
    constructor() {
        super("States.Stopped", "A sibling branch or iteration failed first.");
    }
}

function runState(env: StateEnv): Promise<Outcome> {
    switch (env.def.Type) {
        case "Task":
            return runTask(env);
        case "Pass":
            return runPass(env);
        case "Choice":
            return runChoice(env);
        case "Wait":
            return runWait(env);
        case "Succeed":
            return runSucceed(env);
        case "Fail":
            return runFail(env);
        case "Parallel":
            return runParallel(env, (m, i, v, s, q) => runMachine(env.run, m, i, v, s, q));
        case "Map":
            return runMap(env, (m, i, v, s, q) => runMachine(env.run, m, i, v, s, q));
        default:
            throw new EngineError("States.Runtime", `Unknown state type ${JSON.stringify(env.def.Type)}.`);
    }
}

/** Runs `machine` on `input` with `variables` as its (mutable) scope; resolves to its output, rejects with an EngineError. */
export async function runMachine(run: Run, machine: Rec, input: unknown, variables: Rec, signal: Stopped, inherited: QueryLanguage): Promise<unknown> {
    const states = machine.States as Record<string, Rec>;
    let name = machine.StartAt as string;
    let data = input;
    for (;;) {
        if (signal.isStopped) throw new StoppedError();
        const def = states[name];
        const type = def.Type as string;
        const enteredId = run.emit(`${type}StateEntered`, name, data);
        const env: StateEnv = {
            run,
            def,
            ref: { state: name, enteredId },
            ql: (def.QueryLanguage as QueryLanguage | undefined) ?? inherited,
            input: data,
            variables,
            context: contextOf(run, name, type, 0),
            signal,
        };
        const outcome = await runState(env);
        if (outcome.assigned) Object.assign(variables, outcome.assigned);
        run.emit(`${type}StateExited`, name, outcome.output, undefined, undefined, undefined, outcome.next);
        if (outcome.next === undefined) return outcome.output;
        name = outcome.next;
        data = outcome.output;
    }
}
