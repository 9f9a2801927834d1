/**
 * The `sns:publish` Task builder (request-response integration).
 */
import { FormatValue, PathValue, renderDynamic } from "./payload";
import { Catcher, Json, Retrier, TaskState, Transition } from "./types";

/** The Task `Resource` of an SNS publish. */
export const SNS_PUBLISH = "arn:aws:states:::sns:publish";

/** Everything an SNS publish Task needs. */
export interface SnsPublishProps {
    /** A literal topic ARN: the role's `sns:Publish` is derived from it, so it cannot be dynamic. */
    readonly topicArn: string;
    readonly message: string | FormatValue | PathValue;
    readonly subject?: string;
    /** String message attributes (for subscription filter policies). */
    readonly attributes?: Readonly<Record<string, string | PathValue>>;
    /** @default snsRetryPolicy() */
    readonly retry?: readonly Retrier[];
    readonly catch?: readonly Catcher[];
    readonly resultPath?: string | null;
    readonly comment?: string;
    readonly transition: Transition;
}

/** Retries for SNS: throttling and transient AWS errors surface as `States.TaskFailed`-class errors. */
export function snsRetryPolicy(): Retrier[] {
    return [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: "FULL" }];
}

/** Builds an `sns:publish` Task state. */
export function snsPublish(props: SnsPublishProps): TaskState {
    const parameters: { [key: string]: Json } = { TopicArn: props.topicArn };
    if (typeof props.message === "string") parameters.Message = props.message;
    else parameters["Message.$"] = renderDynamic(props.message);
    if (props.subject) parameters.Subject = props.subject;
    if (props.attributes) {
        const attributes: { [key: string]: Json } = {};
        for (const [name, value] of Object.entries(props.attributes)) {
            attributes[name] =
                typeof value === "string" ? { DataType: "String", StringValue: value } : { DataType: "String", "StringValue.$": renderDynamic(value) };
        }
        parameters.MessageAttributes = attributes;
    }
    return {
        Type: "Task",
        Resource: SNS_PUBLISH,
        ...(props.comment ? { Comment: props.comment } : {}),
        Parameters: parameters,
        ...(props.resultPath !== undefined ? { ResultPath: props.resultPath } : {}),
        Retry: props.retry ?? snsRetryPolicy(),
        ...(props.catch ? { Catch: props.catch } : {}),
        ...props.transition,
    } as TaskState;
}
