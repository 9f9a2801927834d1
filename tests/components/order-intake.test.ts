// Mocks prove what the intake declares; they cannot prove that API Gateway accepts the OpenAPI
// document or evaluates its mapping templates as written (`pulumi preview` and a deploy do).
import * as assert from "node:assert/strict";
import { OrderIntake } from "../../deploy/workflows/order/intake";
import { jsonStringOf, orderModel } from "../../deploy/workflows/order/intake-openapi";
import { ORDER_SCHEMA } from "../../deploy/workflows/order/validation";
import { mocks, useStack } from "../helpers/mocks";
import { countsByType, only, resolve, settle } from "../helpers/pulumi";

const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:sfn-http-workflows-test-order";
type Doc = {
    paths: { "/orders": { post: Record<string, unknown> } };
    components: { schemas: { Order: unknown }; securitySchemes: Record<string, unknown> };
    [key: string]: unknown;
};

async function build(auth: "iam" | "apiKey") {
    const intake = new OrderIntake("order-intake", { stateMachineArn: MACHINE, auth, throttle: { rateLimit: 10, burstLimit: 20 }, accessLogRetentionDays: 14 });
    const url = await resolve(intake.ordersUrl);
    await settle();
    const doc = JSON.parse(String(only("aws:apigateway/restApi:RestApi").inputs.body)) as Doc;
    return { url, doc };
}

describe("OrderIntake", () => {
    beforeEach(() => useStack("test", "eu-west-1"));

    it("validates the body against the order schema and starts this state machine with the execution named by the order id", async () => {
        const { doc, url } = await build("iam");
        const post = doc.paths["/orders"].post;
        assert.deepEqual(doc.components.schemas.Order, orderModel());
        // The model is the order schema itself, in draft 4's dress: only `$schema` and `$id` differ.
        const { $schema: _a, ...model } = orderModel();
        const { $schema: _b, $id: _c, ...schema } = ORDER_SCHEMA as Record<string, unknown>;
        assert.deepEqual(model, schema);
        assert.equal(post["x-amazon-apigateway-request-validator"], "body");
        assert.deepEqual(doc["x-amazon-apigateway-request-validators"], { body: { validateRequestBody: true, validateRequestParameters: false } });
        const integration = post["x-amazon-apigateway-integration"] as Record<string, unknown>;
        assert.equal(integration.uri, "arn:aws:apigateway:eu-west-1:states:action/StartExecution");
        assert.equal(integration.credentials, only("aws:iam/role:Role").state.arn);
        const requestTemplate = String((integration.requestTemplates as Record<string, string>)["application/json"]);
        // Rendered as API Gateway would: an order with every character JSON and JavaScript escape differently.
        const order = { orderId: "ord-1", customer: { name: `O'Brien "Bob" \\ / Ünal\t` } };
        const rendered = JSON.parse(
            requestTemplate
                .replace("$input.path('$.orderId')", order.orderId)
                .replace(jsonStringOf("$input.json('$')"), escapeJavaScriptThenReplaceAll(JSON.stringify(order))),
        );
        assert.deepEqual({ ...rendered, input: JSON.parse(rendered.input) }, { stateMachineArn: MACHINE, name: "ord-1", input: order });
        assert.equal(jsonStringOf("X"), `$util.escapeJavaScript(X).replaceAll("\\\\'","'")`);
        const responses = integration.responses as Record<string, { statusCode: string; responseTemplates: Record<string, string> }>;
        assert.equal(responses.default.statusCode, "202");
        assert.match(responses["4\\d{2}"].responseTemplates["application/json"], /ExecutionAlreadyExists[\s\S]*responseOverride.status = 409/);
        assert.match(responses["4\\d{2}"].responseTemplates["application/json"], /ThrottlingException[\s\S]*responseOverride.status = 429/);
        assert.deepEqual(
            [responses["5\\d{2}"].statusCode, responses["5\\d{2}"].responseTemplates["application/json"].includes("StartExecutionFailed")],
            ["502", true],
        );
        assert.match(JSON.stringify(doc["x-amazon-apigateway-gateway-responses"]), /InvalidOrder.*validationErrorString/);
        assert.match(JSON.stringify(doc["x-amazon-apigateway-gateway-responses"]), /"UNSUPPORTED_MEDIA_TYPE":\{"statusCode":415/);
        assert.match(url, /^https:\/\/\w+\.execute-api\.eu-west-1\.amazonaws\.com\/v1\/orders$/);
    });

    it("lets the integration role start only this state machine", async () => {
        await build("iam");
        const role = only("aws:iam/role:Role");
        assert.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal, { Service: "apigateway.amazonaws.com" });
        const policy = JSON.parse(String(only("aws:iam/rolePolicy:RolePolicy").inputs.policy));
        assert.deepEqual(policy.Statement, [{ Sid: "StartOrders", Effect: "Allow", Action: ["states:StartExecution"], Resource: [MACHINE] }]);
    });

    it("with IAM auth requires SigV4 and declares no API key; throttles the stage and keeps access logs", async () => {
        const { doc } = await build("iam");
        assert.deepEqual(doc.paths["/orders"].post.security, [{ sigv4: [] }]);
        assert.equal((doc.components.securitySchemes.sigv4 as Record<string, string>)["x-amazon-apigateway-authtype"], "awsSigv4");
        assert.equal(mocks.ofType("aws:apigateway/apiKey:ApiKey").length, 0);
        assert.deepEqual(only("aws:apigateway/methodSettings:MethodSettings").inputs.settings, { throttlingRateLimit: 10, throttlingBurstLimit: 20 });
        const log = only("aws:cloudwatch/logGroup:LogGroup");
        assert.equal(log.inputs.retentionInDays, 14);
        const stage = only("aws:apigateway/stage:Stage");
        assert.equal((stage.inputs.accessLogSettings as { destinationArn: string }).destinationArn, log.state.arn);
        assert.match(String((stage.inputs.accessLogSettings as { format: string }).format), /\$context\.requestId/);
    });

    it("with API-key auth requires the key and puts it in a throttled usage plan", async () => {
        const { doc } = await build("apiKey");
        assert.deepEqual(doc.paths["/orders"].post.security, [{ api_key: [] }]);
        assert.equal(doc["x-amazon-apigateway-api-key-source"], "HEADER");
        assert.deepEqual(countsByType()["aws:apigateway/apiKey:ApiKey"], 1);
        const plan = only("aws:apigateway/usagePlan:UsagePlan");
        assert.deepEqual(plan.inputs.throttleSettings, { rateLimit: 10, burstLimit: 20 });
        assert.equal(only("aws:apigateway/usagePlanKey:UsagePlanKey").inputs.keyType, "API_KEY");
    });
});

/**
 * What `$util.escapeJavaScript(v).replaceAll("\\'","'")` yields: Apache Commons Lang's
 * `StringEscapeUtils.escapeJavaScript` (quotes, backslash, slash, control and non-ASCII characters),
 * then the `\'` it writes turned back into `'`.
 */
function escapeJavaScriptThenReplaceAll(value: string): string {
    const named: Record<string, string> = { "\b": "\\b", "\n": "\\n", "\t": "\\t", "\f": "\\f", "\r": "\\r" };
    const escaped = [...value]
        .map((c) => {
            if (c === "'" || c === '"' || c === "\\" || c === "/") return `\\${c}`;
            if (named[c]) return named[c];
            const code = c.charCodeAt(0);
            return code < 32 || code > 0x7f ? `\\u${code.toString(16).toUpperCase().padStart(4, "0")}` : c;
        })
        .join("");
    return escaped.replaceAll("\\'", "'");
}
