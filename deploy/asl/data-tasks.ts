/**
 * Task builders for where collected data goes: an S3 object per page (the AWS SDK integration
 * `s3:putObject`) and an EventBridge event per run (the optimized `events:putEvents`). Like
 * `httpTask`, they attach no permission: `derivePolicy` reads the bucket, the key's literal prefix
 * and the bus back from the definition, so each task can only exist with its exact grant.
 */
import { FormatValue, PathValue, renderDynamic } from "./payload";
import { Catcher, Json, PayloadTemplate, Retrier, TaskState, Transition } from "./types";

/** The Task `Resource` of an S3 `PutObject` (AWS SDK integration). */
export const S3_PUT_OBJECT = "arn:aws:states:::aws-sdk:s3:putObject";
/** The `Resource` of a Distributed Map `ItemReader` that reads one S3 object. */
export const S3_GET_OBJECT = "arn:aws:states:::s3:getObject";
/** The Task `Resource` of an EventBridge `PutEvents` (optimized integration). */
export const EVENTS_PUT_EVENTS = "arn:aws:states:::events:putEvents";

/** S3 bucket names as S3 accepts them for new buckets (no dots: virtual-host TLS stays valid). */
export const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** What an `s3:putObject` Task needs. */
export interface S3PutObjectProps {
    /** A literal bucket name: the role's `s3:PutObject` is derived from it. */
    readonly bucket: string;
    /**
     * The object key: `States.Format` whose template starts with literal text (the prefix the role is
     * granted, placeholders becoming `*`). A key that starts with a placeholder cannot be scoped.
     */
    readonly key: FormatValue;
    /** The object's body: a path to a JSON value, serialised with `States.JsonToString`. */
    readonly body: PathValue;
    readonly retry?: readonly Retrier[];
    readonly catch?: readonly Catcher[];
    readonly comment?: string;
    /** Each attempt's limit (`States.Timeout` past it); without it a Task may wait 99999999 s. */
    readonly timeoutSeconds?: number;
    readonly transition: Transition;
}

/**
 * Retries for AWS SDK integrations: the SDK's throttling and 5xx errors surface as
 * `S3.<Exception>` or `States.TaskFailed`-class errors; all are worth a few tries for a write
 * that is idempotent (same key, same body).
 */
export function awsSdkRetryPolicy(): Retrier[] {
    return [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 1, MaxAttempts: 4, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: "FULL" }];
}

/** Builds an `s3:putObject` Task whose result is dropped (`ResultPath: null`): the state input passes on. */
export function s3PutObject(props: S3PutObjectProps): TaskState {
    if (!S3_BUCKET_NAME.test(props.bucket)) throw new Error(`\`${props.bucket}\` is not an S3 bucket name this project creates.`);
    if (props.key.template.startsWith("{}")) throw new Error(`The key \`${props.key.template}\` starts with a placeholder: its prefix could not be granted.`);
    return {
        Type: "Task",
        Resource: S3_PUT_OBJECT,
        ...(props.comment ? { Comment: props.comment } : {}),
        Parameters: {
            Bucket: props.bucket,
            "Key.$": renderDynamic(props.key),
            "Body.$": `States.JsonToString(${props.body.path})`,
            ContentType: "application/json",
        },
        ResultPath: null,
        ...(props.timeoutSeconds ? { TimeoutSeconds: props.timeoutSeconds } : {}),
        Retry: props.retry ?? awsSdkRetryPolicy(),
        ...(props.catch ? { Catch: props.catch } : {}),
        ...props.transition,
    } as TaskState;
}

/** What an `events:putEvents` Task needs. */
export interface PutEventsProps {
    /** A literal bus name or ARN: the role's `events:PutEvents` is derived from it. */
    readonly eventBusName: string;
    readonly source: string;
    readonly detailType: string;
    /** The event's detail: a path to a JSON object. */
    readonly detail: PathValue;
    readonly retry?: readonly Retrier[];
    readonly catch?: readonly Catcher[];
    readonly resultPath?: string | null;
    readonly comment?: string;
    readonly transition: Transition;
}

/** Builds an `events:putEvents` Task with one entry. */
export function eventsPutEvents(props: PutEventsProps): TaskState {
    const entry: PayloadTemplate = {
        EventBusName: props.eventBusName,
        Source: props.source,
        DetailType: props.detailType,
        "Detail.$": renderDynamic(props.detail),
    };
    return {
        Type: "Task",
        Resource: EVENTS_PUT_EVENTS,
        ...(props.comment ? { Comment: props.comment } : {}),
        Parameters: { Entries: [entry as Json] },
        ...(props.resultPath !== undefined ? { ResultPath: props.resultPath } : {}),
        Retry: props.retry ?? awsSdkRetryPolicy(),
        ...(props.catch ? { Catch: props.catch } : {}),
        ...props.transition,
    } as TaskState;
}
