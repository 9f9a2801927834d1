/**
 * `arn:aws:states:::sns:publish` and `arn:aws:states:::events:putEvents` into an in-memory outbox:
 * notifications and events are recorded, never sent. Results mirror what Step Functions returns.
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

/** One event put on a bus. */
export interface OutboxEvent {
    readonly eventId: string;
    readonly eventBusName: string;
    readonly source: string;
    readonly detailType: string;
    readonly detail: unknown;
    readonly stateName: string;
}

/** EventBridge's limits: 10 entries per call, 256 KiB per entry. */
const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 262_144;

/** Messages and events published by local executions, in order. */
export class Outbox {
    readonly messages: OutboxMessage[] = [];
    readonly events: OutboxEvent[] = [];

    /** Emulates `events:putEvents` (optimized integration): every entry is accepted or the call fails. */
    putEvents(stateName: string, params: unknown): { Entries: { EventId: string }[]; FailedEntryCount: 0 } {
        const p = (typeof params === "object" && params !== null ? params : {}) as Record<string, unknown>;
        const invalid = (why: string) => new TaskError("EventBridge.ValidationException", why);
        if (!Array.isArray(p.Entries) || p.Entries.length === 0 || p.Entries.length > MAX_ENTRIES)
            throw invalid(`Entries must hold 1 to ${MAX_ENTRIES} entries`);
        const accepted = p.Entries.map((entry: Record<string, unknown>, i): OutboxEvent => {
            for (const field of ["Source", "DetailType"])
                if (typeof entry?.[field] !== "string" || entry[field] === "") throw invalid(`Entries[${i}].${field} is required`);
            let detail: unknown = entry.Detail;
            if (typeof detail === "string") {
                try {
                    detail = JSON.parse(detail);
                } catch {
                    throw invalid(`Entries[${i}].Detail is not valid JSON`);
                }
            }
            if (typeof detail !== "object" || detail === null || Array.isArray(detail)) throw invalid(`Entries[${i}].Detail must be a JSON object`);
            if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES) throw invalid(`Entries[${i}] is larger than 256 KiB`);
            return {
                eventId: randomUUID(),
                eventBusName: typeof entry.EventBusName === "string" ? entry.EventBusName : "default",
                source: entry.Source as string,
                detailType: entry.DetailType as string,
                detail,
                stateName,
            };
        });
        this.events.push(...accepted);
        return { Entries: accepted.map((e) => ({ EventId: e.eventId })), FailedEntryCount: 0 };
    }

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
