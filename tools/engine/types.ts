/**
 * The shapes the engine exchanges with its callers: options, the outcome of a run, and the history
 * events, which imitate Step Functions `GetExecutionHistory` (event `type` names as AWS records them,
 * e.g. `TaskStateEntered`, `TaskScheduled`, `TaskFailed`, `MapIterationStarted`, `ExecutionFailed`).
 */

/** The context a Task handler gets besides its input. */
export interface TaskHandlerContext {
    /** The context object as `$$` shows it in this state. */
    readonly context: unknown;
    /** The workflow variables in scope (read-only). */
    readonly variables?: Readonly<Record<string, unknown>>;
    /** The state and the id of its entered event, for causes that quote them as AWS does. */
    readonly ref?: { readonly state: string; readonly enteredId: number };
}

/** Serves a Task state locally: its effective input (after Parameters/Arguments) → its result. */
export type TaskHandler = (input: unknown, ctx: TaskHandlerContext) => Promise<unknown>;

/** One history event. `input` for entered/started/scheduled events, `output` for the others. */
export interface HistoryEvent {
    /** 1-based, in emission order, as AWS numbers events. */
    readonly id: number;
    readonly type: string;
    /** Milliseconds since the epoch; never decreases within a run. */
    readonly timestamp: number;
    /** The state name (state events). */
    readonly name?: string;
    readonly input?: unknown;
    readonly output?: unknown;
    readonly error?: string;
    readonly cause?: string;
    /** The iteration index (Map iteration events). */
    readonly index?: number;
    /** Local addition on `...StateExited`: the state the execution goes to next (absent at the end). */
    readonly next?: string;
}

/** The context object fields a caller may set (`$$.Execution`, `$$.StateMachine`). */
export interface ContextOptions {
    /** Fields given here replace the engine's; `null` for `RoleArn` is shown as null, for `RedriveCount` leaves the field out (TestState's context, recorded). */
    readonly Execution?: {
        readonly Name?: string;
        readonly Id?: string;
        readonly StartTime?: string;
        readonly RoleArn?: string | null;
        readonly RedriveCount?: number | null;
    };
    readonly StateMachine?: { readonly Name?: string; readonly Id?: string };
    /** The name `$$.State.Name` shows for every state (TestState shows `StateName`); default each state's own. */
    readonly StateName?: string;
}

/** How one execution runs. */
export interface RunOptions {
    /** Task handlers by state name; a Task without one fails with `States.Runtime`. */
    readonly taskHandlers?: Readonly<Record<string, TaskHandler>>;
    /** Retry waits in ms by state name: one number for every retrier, or one per retrier. */
    readonly retryWaitOverrides?: Readonly<Record<string, number | readonly number[]>>;
    /** Every Wait state waits this many ms instead of its real time. */
    readonly waitOverrideMs?: number;
    /** The ms a Wait state of `seconds` waits (wins over `waitOverrideMs`); real time when neither is set. */
    readonly waitMs?: (seconds: number) => number;
    readonly context?: ContextOptions;
    /** Record `events` in the result. @default true */
    readonly recordEvents?: boolean;
    /** Called with each event as it happens (implies building events). */
    readonly onEvent?: (event: HistoryEvent) => void;
}

/** The outcome of one execution. */
export interface RunResult {
    readonly status: "SUCCEEDED" | "FAILED";
    readonly output?: unknown;
    readonly error?: string;
    readonly cause?: string;
    readonly events: HistoryEvent[];
}

export type Rec = Record<string, unknown>;

/** `JSONPath` unless a state or the definition says `JSONata`. */
export type QueryLanguage = "JSONPath" | "JSONata";
