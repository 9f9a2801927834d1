/**
 * Pulumi mocks that record every resource with its inputs and answer with deterministic,
 * realistic ids and ARNs (account `123456789012`, the stack's region). One implementation
 * serves the unit tests (`tests/helpers/mocks.ts`) and the offline synth (`tools/commands/synth.ts`).
 *
 * What mocks cannot prove: that AWS accepts the requests, or the real shape of provider-computed
 * values. ARNs here follow the documented formats (docs/aws-facts.md §1.2, §6.1, §7.4).
 */
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { createHash } from "crypto";

/** The mock AWS account. */
export const MOCK_ACCOUNT_ID = "123456789012";

/** One recorded resource: its type token, logical name and inputs (secret inputs still marked). */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** The mock's answer: id and output state (ARNs). */
    readonly id: string;
    readonly state: Record<string, unknown>;
}

/** Stable hex digest of `text`, for deterministic ids. */
function digest(text: string, length: number): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A UUID-shaped deterministic id. */
function uuidFrom(text: string): string {
    const h = digest(text, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** True for the wrapper Pulumi's RPC layer puts around a secret value. */
export function isSecretValue(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

/** Removes secret wrappers, keeping the values (for assertions on what a resource received). */
export function revealSecrets(value: unknown): unknown {
    if (isSecretValue(value)) return revealSecrets(value.value);
    if (Array.isArray(value)) return value.map(revealSecrets);
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealSecrets(v)]));
    }
    return value;
}

/** What synth's files show in place of a secret value. */
export const SECRET_MARKER = "[secret]";

/** Replaces every secret value with `"[secret]"` (for files a reviewer reads). */
export function maskSecrets(value: unknown): unknown {
    if (isSecretValue(value)) return SECRET_MARKER;
    if (Array.isArray(value)) return value.map(maskSecrets);
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
    }
    return value;
}

/** Mocks that record resources; `region` is the stack's `aws:region`. */
export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];

    constructor(public region: string) {}

    /** Forgets recorded resources (between tests or stacks). */
    reset(region: string = this.region): void {
        this.resources.length = 0;
        this.region = region;
    }

    /** Recorded resources of one type token, in creation order. */
    ofType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const region = this.region;
        const account = MOCK_ACCOUNT_ID;
        // Auto-named resources get Pulumi's `<name>-<7 chars>` physical name.
        const physical = (args.inputs.name as string | undefined) ?? `${args.name}-${digest(`${args.type}/${args.name}`, 7)}`;
        const state: Record<string, unknown> = { ...args.inputs, name: physical };
        switch (args.type) {
            case "aws:cloudwatch/eventConnection:EventConnection": {
                state.arn = `arn:aws:events:${region}:${account}:connection/${physical}/${uuidFrom(`conn/${args.name}`)}`;
                // EventBridge's own secret naming: events!connection/<name>/<uuid> plus Secrets Manager's suffix (§7.4).
                state.secretArn = `arn:aws:secretsmanager:${region}:${account}:secret:events!connection/${physical}/${uuidFrom(`secret/${args.name}`)}-${digest(args.name, 6)}`;
                break;
            }
            case "aws:iam/role:Role":
                state.arn = `arn:aws:iam::${account}:role/${physical}`;
                state.uniqueId = `AROA${digest(args.name, 17).toUpperCase()}`;
                break;
            case "aws:sfn/stateMachine:StateMachine":
                state.arn = `arn:aws:states:${region}:${account}:stateMachine:${physical}`;
                if (args.inputs.publish === true) state.stateMachineVersionArn = `${state.arn}:1`;
                break;
            case "aws:cloudwatch/logGroup:LogGroup":
                state.arn = `arn:aws:logs:${region}:${account}:log-group:${physical}`;
                break;
            case "aws:sns/topic:Topic":
                state.arn = `arn:aws:sns:${region}:${account}:${physical}`;
                break;
            case "aws:vpclattice/resourceGateway:ResourceGateway":
                state.arn = `arn:aws:vpc-lattice:${region}:${account}:resourcegateway/rgw-${digest(args.name, 17)}`;
                break;
            case "aws:vpclattice/resourceConfiguration:ResourceConfiguration":
                state.arn = `arn:aws:vpc-lattice:${region}:${account}:resourceconfiguration/rcfg-${digest(args.name, 17)}`;
                break;
            case "aws:apigateway/stage:Stage":
                state.arn = `arn:aws:apigateway:${region}::/restapis/${String(args.inputs.restApi)}/stages/${String(args.inputs.stageName)}`;
                state.invokeUrl = `https://${digest(String(args.inputs.restApi), 10)}.execute-api.${region}.amazonaws.com/${String(args.inputs.stageName)}`;
                break;
            case "aws:s3/bucket:Bucket": {
                // S3's own auto-naming: the resource name plus a suffix, lower case.
                const bucket = (args.inputs.bucket as string | undefined) ?? `${args.name}-${digest(`${args.type}/${args.name}`, 7)}`.toLowerCase();
                Object.assign(state, { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` });
                break;
            }
            case "aws:sqs/queue:Queue":
                state.arn = `arn:aws:sqs:${region}:${account}:${physical}`;
                state.url = `https://sqs.${region}.amazonaws.com/${account}/${physical}`;
                break;
            case "aws:sns/topicSubscription:TopicSubscription":
                state.arn = `${String(args.inputs.topic)}:${uuidFrom(args.name)}`;
                break;
            default:
                state.arn = `arn:aws:mock:${region}:${account}:${args.type.split(":").pop()}/${physical}`;
        }
        const id = `${physical}-id`;
        this.resources.push({ type: args.type, name: args.name, inputs: args.inputs, id, state });
        return { id, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`, userId: "AIDAMOCK", id: MOCK_ACCOUNT_ID };
            case "aws:index/getRegion:getRegion":
                return { name: this.region, region: this.region, id: this.region, endpoint: `ec2.${this.region}.amazonaws.com`, description: this.region };
            case "aws:kms/getKey:getKey": {
                const keyId = String(args.inputs.keyId);
                const arn =
                    keyId.startsWith("arn:") && keyId.includes(":key/")
                        ? keyId
                        : `arn:aws:kms:${this.region}:${MOCK_ACCOUNT_ID}:key/${digest(keyId, 8)}-0000-4000-8000-${digest(`${keyId}/`, 12)}`;
                return { arn, keyId: arn.split("/").pop(), id: arn };
            }
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" };
            default:
                throw new Error(`No mock for call \`${args.token}\`.`);
        }
    }
}
