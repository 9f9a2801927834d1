/**
 * Typed Amazon States Language (JSONPath query language) for the states this project emits.
 *
 * Pure data types: no Pulumi, no I/O. A definition built from these types is serialised with
 * `JSON.stringify` and is exactly what `aws.sfn.StateMachine.definition` receives and what the
 * local runner executes.
 */

/** Any JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A JSON object whose keys may carry the `.$` suffix of JSONPath payload templates. */
export type PayloadTemplate = { [key: string]: Json };

/** The seven methods an HTTP Task accepts (docs/aws-facts.md §1.4). */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "OPTIONS" | "HEAD";

/** A `Retry` entry of a Task state. */
export interface Retrier {
    readonly ErrorEquals: readonly string[];
    readonly IntervalSeconds?: number;
    readonly MaxAttempts?: number;
    readonly BackoffRate?: number;
    readonly MaxDelaySeconds?: number;
    readonly JitterStrategy?: "FULL" | "NONE";
}

/** A `Catch` entry of a Task state. */
export interface Catcher {
    readonly ErrorEquals: readonly string[];
    readonly Next: string;
    readonly ResultPath?: string | null;
    /** JSONata states only: the state's output when this catcher matches (default `$states.errorOutput`). */
    readonly Output?: Json;
}

/** Fields every state may carry. */
interface StateBase {
    readonly Comment?: string;
}

/** Transition fields: exactly one of `Next` or `End: true`. */
export type Transition = { readonly Next: string; readonly End?: never } | { readonly End: true; readonly Next?: never };

/** Input/output processing fields shared by Task and Pass. */
interface IoFields {
    readonly InputPath?: string | null;
    readonly OutputPath?: string | null;
    readonly ResultPath?: string | null;
}

/** A Task state (`Resource` is a service integration ARN such as `arn:aws:states:::http:invoke`). */
export type TaskState = StateBase &
    IoFields &
    Transition & {
        readonly Type: "Task";
        readonly Resource: string;
        /** `JSONata` for a Task whose `Arguments`/`Output` hold `{% %}` expressions (the rest of the definition may stay JSONPath). */
        readonly QueryLanguage?: "JSONata" | "JSONPath";
        readonly Parameters?: PayloadTemplate;
        /** JSONata states only: the request, a JSON value whose `{% %}` strings are evaluated. */
        readonly Arguments?: Json;
        /** JSONata states only: the state's output (default `$states.result`). */
        readonly Output?: Json;
        readonly ResultSelector?: PayloadTemplate;
        readonly Retry?: readonly Retrier[];
        readonly Catch?: readonly Catcher[];
        readonly TimeoutSeconds?: number;
    };

/** A Pass state. */
export type PassState = StateBase &
    IoFields &
    Transition & {
        readonly Type: "Pass";
        /** `JSONata` when `Output` holds `{% %}` expressions (the rest of the definition may stay JSONPath). */
        readonly QueryLanguage?: "JSONata" | "JSONPath";
        /** JSONata states only: the state's output, a JSON value whose `{% %}` strings are evaluated. */
        readonly Output?: Json;
        readonly Parameters?: PayloadTemplate;
        readonly Result?: Json;
        /** Workflow variables set as the state ends (JSONPath: `"name.$"` takes a path or intrinsic). */
        readonly Assign?: Record<string, Json>;
    };

/** A Choice rule: a comparison on `Variable`, a boolean combination of rules, or (JSONata) a `Condition`. */
export interface ChoiceRule {
    /** JSONata states only: `{% <boolean expression> %}`. */
    readonly Condition?: string;
    readonly Variable?: string;
    readonly And?: readonly ChoiceRule[];
    readonly Or?: readonly ChoiceRule[];
    readonly Not?: ChoiceRule;
    readonly IsPresent?: boolean;
    readonly IsNull?: boolean;
    readonly IsString?: boolean;
    readonly IsNumeric?: boolean;
    readonly IsBoolean?: boolean;
    readonly StringEquals?: string;
    readonly StringMatches?: string;
    readonly NumericGreaterThan?: number;
    readonly NumericGreaterThanEquals?: number;
    readonly NumericLessThan?: number;
    readonly NumericLessThanEquals?: number;
    readonly NumericEquals?: number;
    readonly BooleanEquals?: boolean;
}

/**
 * A top-level Choice rule, which names the next state. In a JSONata Choice a rule may carry its own
 * `Output` and `Assign`: when it matches, only those apply (docs/aws-facts.md §14).
 */
export type ChoiceBranch = ChoiceRule & { readonly Next: string; readonly Output?: Json; readonly Assign?: Record<string, Json> };

/** A Choice state. */
export interface ChoiceState extends StateBase {
    readonly Type: "Choice";
    /** `JSONata` for a state whose rules are `Condition`s (the rest of the definition may stay JSONPath). */
    readonly QueryLanguage?: "JSONata" | "JSONPath";
    /** JSONata states only: the state's output, a JSON value whose `{% %}` strings are evaluated. */
    readonly Output?: Json;
    readonly Choices: readonly ChoiceBranch[];
    readonly Default?: string;
    readonly InputPath?: string | null;
    readonly OutputPath?: string | null;
}

/** A Fail state: ends the execution with a named error. */
export interface FailState extends StateBase {
    readonly Type: "Fail";
    /** `JSONata` when `Error` and `Cause` are `{% %}` expressions. */
    readonly QueryLanguage?: "JSONata" | "JSONPath";
    readonly Error: string;
    readonly Cause?: string;
    /** A JSONPath to the cause in the state input (instead of `Cause`). */
    readonly CausePath?: string;
}

/** A Succeed state. */
export interface SucceedState extends StateBase {
    readonly Type: "Succeed";
    readonly InputPath?: string | null;
    readonly OutputPath?: string | null;
}

/** A Parallel state: each branch is a nested state machine. */
export type ParallelState = StateBase &
    IoFields &
    Transition & {
        readonly Type: "Parallel";
        readonly Branches: readonly StateMachineDefinition[];
        readonly Retry?: readonly Retrier[];
        readonly Catch?: readonly Catcher[];
    };

/** How a Map runs its items: in the execution (`INLINE`), or as child executions (`DISTRIBUTED`). */
export type ProcessorConfig = { readonly Mode: "INLINE" } | { readonly Mode: "DISTRIBUTED"; readonly ExecutionType: "STANDARD" | "EXPRESS" };

/** A Distributed Map's item source: a JSON array in one S3 object (`arn:aws:states:::s3:getObject`). */
export interface ItemReader {
    readonly Resource: string;
    readonly ReaderConfig: { readonly InputType: "JSON"; readonly MaxItems?: number };
    readonly Parameters: { readonly Bucket: string; readonly Key: string };
}

/** A Map state: `ItemProcessor` is a nested state machine, run inline or, distributed, as child executions. */
export type MapState = StateBase &
    IoFields &
    Transition & {
        readonly Type: "Map";
        readonly ItemsPath?: string;
        /** Each item's input, built from `$$.Map.Item.Value` and the Map's input. */
        readonly ItemSelector?: PayloadTemplate;
        readonly ItemProcessor: StateMachineDefinition & { readonly ProcessorConfig?: ProcessorConfig };
        readonly MaxConcurrency?: number;
        /** Distributed only: where the items come from instead of the state input. */
        readonly ItemReader?: ItemReader;
        /** Distributed only: items per child execution, whose input is `{ Items, BatchInput }`. */
        readonly ItemBatcher?: { readonly MaxItemsPerBatch: number; readonly BatchInput?: PayloadTemplate };
        /** Distributed only: the share of failed items (0–100) the Map run survives. */
        readonly ToleratedFailurePercentage?: number;
        /** Distributed only: names the Map Run and its child executions (`<stateMachine>/<Label>:<id>`). */
        readonly Label?: string;
        readonly ResultSelector?: PayloadTemplate;
        readonly Retry?: readonly Retrier[];
        readonly Catch?: readonly Catcher[];
    };

/** A Wait state. */
export type WaitState = StateBase &
    Transition & {
        readonly Type: "Wait";
        readonly Seconds?: number;
        readonly SecondsPath?: string;
        /** Workflow variables set as the state ends (JSONPath: `"name.$"` takes a path or intrinsic). */
        readonly Assign?: Record<string, Json>;
    };

/** Every state type this project emits. */
export type State = TaskState | PassState | ChoiceState | FailState | SucceedState | ParallelState | MapState | WaitState;

/** A complete JSONPath state machine definition. */
export interface StateMachineDefinition {
    readonly Comment?: string;
    readonly QueryLanguage?: "JSONPath";
    readonly StartAt: string;
    readonly TimeoutSeconds?: number;
    readonly States: Readonly<Record<string, State>>;
}
