/**
 * `arn:aws:states:::sns:publish` into an in-memory outbox: the customer notification is recorded,
 * never sent. The result mirrors SNS's `Publish` response as Step Functions returns it.
 */
import { randomUUID } from "crypto";
import { TaskError } from "./errors";

/** One published message. */
export interface OutboxMessage {
    readonly messageId: string;
    readonly topicArn: string;
    readonly subject?: string;
    readonly message: string;
    /** String message attributes, flattened to their values. */
    readonly attributes: Readonly<Record<string, string>>;
    readonly stateName: string;
}

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
/** SNS's message size limit. */
const MAX_MESSAGE_BYTES = 262_144;

/** Messages published by local executions, in order. */
export class Outbox {
    readonly messages: OutboxMessage[] = [];

    /** Emulates `sns:publish` with the resolved `Parameters` of the Task state `stateName`. */
    publish(
        stateName: string,
        params: unknown,
    ): { MessageId: string; SdkHttpMetadata: { HttpStatusCode: number }; SdkResponseMetadata: { RequestId: string } } {
        const p = (typeof params === "object" && params !== null ? params : {}) as Record<string, unknown>;
        const invalid = (why: string) => new TaskError("SNS.InvalidParameterException", `Invalid parameter: ${why}`);
        if (typeof p.TopicArn !== "string" || !SNS_TOPIC_ARN.test(p.TopicArn)) throw invalid("TopicArn must be an SNS topic ARN");
        if (typeof p.Message !== "string" || p.Message === "") throw invalid("Message must be a non-empty string");
        if (Buffer.byteLength(p.Message) > MAX_MESSAGE_BYTES) throw invalid("Message too long");
        const attributes: Record<string, string> = {};
        for (const [name, value] of Object.entries((p.MessageAttributes ?? {}) as Record<string, { StringValue?: unknown }>)) {
            if (typeof value?.StringValue !== "string") throw invalid(`MessageAttributes.${name} needs a StringValue`);
            attributes[name] = value.StringValue;
        }
        const messageId = randomUUID();
        this.messages.push({
            messageId,
            topicArn: p.TopicArn,
            ...(typeof p.Subject === "string" ? { subject: p.Subject } : {}),
            message: p.Message,
            attributes,
            stateName,
        });
        return { MessageId: messageId, SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: randomUUID() } };
    }
}
