/**
 * The order intake's contract as the OpenAPI document API Gateway deploys: `POST /orders` validates
 * the body against the order schema (`deploy/workflows/order/order.schema.json`, embedded as the request model)
 * and starts the order workflow directly (`states:StartExecution`, no Lambda) with the execution
 * **named by the order id**, so the same order posted twice starts once. Pure: the local intake
 * server (`tools/local/intake.ts`) answers with the same statuses and bodies.
 *
 * - 202 `{ "executionArn", "startDate" }`: started;
 * - 400 `{ "error": "InvalidOrder", "message" }`: the body breaks the order schema;
 * - 409 `{ "error": "ExecutionAlreadyExists", "message" }`: an execution with that order id exists;
 * - 403: no (or a wrong) IAM signature or API key.
 */
import { ORDER_SCHEMA } from "./validation";

/** How callers authenticate: SigV4-signed requests (IAM) or an API key of the intake's usage plan. */
export type IntakeAuth = "iam" | "apiKey";

/** What the document needs from the deployment. */
export interface IntakeOpenApiOptions {
    readonly title: string;
    readonly region: string;
    readonly stateMachineArn: string;
    /** The role API Gateway assumes to call `states:StartExecution`. */
    readonly integrationRoleArn: string;
    readonly auth: IntakeAuth;
}

/** The order schema as an API Gateway model (JSON Schema draft 4: no `$schema`/`$id` of 2020-12). */
export function orderModel(): Record<string, unknown> {
    const { $schema: _schema, $id: _id, ...model } = ORDER_SCHEMA as Record<string, unknown>;
    return { $schema: "http://json-schema.org/draft-04/schema#", ...model };
}

/** The answer to an order not sent as `application/json` (here and in the local intake). */
export const UNSUPPORTED_MEDIA_TYPE = { error: "UnsupportedMediaType", message: "POST the order as application/json." } as const;

/** Safe advice whenever the order may not have started: the execution name makes a retry idempotent. */
const RETRY_SAME_ORDER = "The order was not started; post the same order again (its orderId keeps it from starting twice).";

/**
 * VTL that writes `expr` as the inside of a JSON string. `$util.escapeJavaScript` also turns `'` into
 * `\'`, which JSON forbids (an order for "O'Brien" would be refused by StartExecution), so it is undone
 * as AWS's mapping-template reference advises.
 */
export const jsonStringOf = (expr: string): string => `$util.escapeJavaScript(${expr}).replaceAll("\\\\'","'")`;

const json = (statusCode: string, template: string) => ({ statusCode, responseTemplates: { "application/json": template } });

/** The OpenAPI 3 document of the intake API, with API Gateway's extensions. */
export function intakeOpenApi(options: IntakeOpenApiOptions): Record<string, unknown> {
    const security = options.auth === "iam" ? [{ sigv4: [] }] : [{ api_key: [] }];
    // StartExecution answers a reused name with 400 `ExecutionAlreadyExists`: turned into 409.
    const failed = [
        "#set($type = $input.path('$.__type'))",
        "#if($type.contains('ExecutionAlreadyExists'))#set($context.responseOverride.status = 409)",
        '{"error":"ExecutionAlreadyExists","message":"An order with this orderId was already started."}',
        "#elseif($type.contains('ThrottlingException') || $type.contains('ExecutionLimitExceeded'))#set($context.responseOverride.status = 429)",
        `{"error":"TooManyRequests","message":"${RETRY_SAME_ORDER}"}`,
        "#else",
        `{"error":"StartExecutionFailed","message":"${jsonStringOf("$input.path('$.message')")}"}`,
        "#end",
    ].join("\n");
    return {
        openapi: "3.0.1",
        info: { title: options.title, version: "1.0" },
        paths: {
            "/orders": {
                post: {
                    summary: "Start the order workflow for one order (named by its orderId).",
                    security,
                    requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Order" } } } },
                    responses: {
                        "202": { description: "Started: `{ executionArn, startDate }`." },
                        "400": { description: "The order breaks the order schema: `{ error: InvalidOrder, message }`." },
                        "409": { description: "This order was already started: `{ error: ExecutionAlreadyExists, message }`." },
                        "429": { description: "Step Functions is throttling: retry the same order later." },
                        "502": { description: "Step Functions failed: retry the same order (its orderId keeps it from starting twice)." },
                    },
                    "x-amazon-apigateway-request-validator": "body",
                    "x-amazon-apigateway-integration": {
                        type: "aws",
                        httpMethod: "POST",
                        uri: `arn:aws:apigateway:${options.region}:states:action/StartExecution`,
                        credentials: options.integrationRoleArn,
                        passthroughBehavior: "never",
                        requestTemplates: {
                            "application/json": `{"stateMachineArn":"${options.stateMachineArn}","name":"$input.path('$.orderId')","input":"${jsonStringOf("$input.json('$')")}"}`,
                        },
                        responses: {
                            "4\\d{2}": json("400", failed),
                            // Without this a Step Functions outage would fall to `default`: a 202 with no execution.
                            "5\\d{2}": json("502", `{"error":"StartExecutionFailed","message":"${RETRY_SAME_ORDER}"}`),
                            default: json("202", '{"executionArn":"$input.path(\'$.executionArn\')","startDate":$input.json(\'$.startDate\')}'),
                        },
                    },
                },
            },
        },
        components: {
            schemas: { Order: orderModel() },
            securitySchemes:
                options.auth === "iam"
                    ? { sigv4: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" } }
                    : { api_key: { type: "apiKey", name: "x-api-key", in: "header" } },
        },
        "x-amazon-apigateway-request-validators": { body: { validateRequestBody: true, validateRequestParameters: false } },
        "x-amazon-apigateway-gateway-responses": {
            BAD_REQUEST_BODY: {
                statusCode: 400,
                responseTemplates: { "application/json": '{"error":"InvalidOrder","message":"$context.error.validationErrorString"}' },
            },
            UNSUPPORTED_MEDIA_TYPE: { statusCode: 415, responseTemplates: { "application/json": JSON.stringify(UNSUPPORTED_MEDIA_TYPE) } },
        },
        ...(options.auth === "apiKey" ? { "x-amazon-apigateway-api-key-source": "HEADER" } : {}),
    };
}
