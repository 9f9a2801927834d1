import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IntakeAuth, intakeOpenApi } from "./intake-openapi";

/** Arguments of `OrderIntake`. */
export interface OrderIntakeArgs {
    /** The order workflow's state machine: the only one the intake may start. */
    readonly stateMachineArn: pulumi.Input<string>;
    /** `iam` (SigV4-signed callers) or `apiKey` (a key of the intake's usage plan). @default "iam" */
    readonly auth?: IntakeAuth;
    /** Steady requests per second and burst, for the stage (and the usage plan with `apiKey`). */
    readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
    /** Retention of the access log, in days (a period CloudWatch Logs accepts). */
    readonly accessLogRetentionDays: number;
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    caller: "$context.identity.caller",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    resourcePath: "$context.resourcePath",
    status: "$context.status",
    responseLength: "$context.responseLength",
    integrationStatus: "$context.integrationStatus",
    error: "$context.error.message",
});

/**
 * `POST /orders` on API Gateway (REST): the body is validated against the order schema and the
 * order workflow is started directly, the execution named by the order id (the contract is
 * `deploy/workflows/order/intake-openapi.ts`). Auth and throttling per stack, an access log with retention, and an
 * integration role that may start only this state machine.
 */
export class OrderIntake extends pulumi.ComponentResource {
    /** `https://<api>.execute-api.<region>.amazonaws.com/<stage>/orders`. */
    readonly ordersUrl: pulumi.Output<string>;
    /** The API key's id, with `auth: apiKey` (its value is read with `aws apigateway get-api-key --include-value`). */
    readonly apiKeyId: pulumi.Output<string | undefined>;

    constructor(name: string, args: OrderIntakeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sfn-http-workflows:index:OrderIntake", name, {}, opts);
        const parent = { parent: this };
        const auth = args.auth ?? "iam";
        const region = aws.getRegionOutput({}, parent).region;

        // 1. The integration role: API Gateway may start this state machine, nothing else.
        const role = new aws.iam.Role(
            `${name}-integration-role`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
                tags: args.tags,
            },
            parent,
        );
        new aws.iam.RolePolicy(
            `${name}-integration-policy`,
            {
                role: role.id,
                policy: pulumi.output(args.stateMachineArn).apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Sid: "StartOrders", Effect: "Allow", Action: ["states:StartExecution"], Resource: [arn] }],
                    }),
                ),
            },
            parent,
        );

        // 2. The API from its OpenAPI document, deployed to one stage with access logs and throttling.
        const api = new aws.apigateway.RestApi(
            `${name}-api`,
            {
                body: pulumi
                    .all([region, args.stateMachineArn, role.arn])
                    .apply(([r, arn, roleArn]) =>
                        JSON.stringify(intakeOpenApi({ title: `${name} intake`, region: r, stateMachineArn: arn, integrationRoleArn: roleArn, auth })),
                    ),
                endpointConfiguration: { types: "REGIONAL" },
                tags: args.tags,
            },
            parent,
        );
        const deployment = new aws.apigateway.Deployment(`${name}-deployment`, { restApi: api.id, triggers: { body: api.body.apply((b) => b ?? "") } }, parent);
        const accessLog = new aws.cloudwatch.LogGroup(`${name}-access-log`, { retentionInDays: args.accessLogRetentionDays, tags: args.tags }, parent);
        const stage = new aws.apigateway.Stage(
            `${name}-stage`,
            {
                restApi: api.id,
                deployment: deployment.id,
                stageName: "v1",
                accessLogSettings: { destinationArn: accessLog.arn, format: ACCESS_LOG_FORMAT },
                tags: args.tags,
            },
            parent,
        );
        new aws.apigateway.MethodSettings(
            `${name}-throttling`,
            {
                restApi: api.id,
                stageName: stage.stageName,
                methodPath: "*/*",
                settings: { throttlingRateLimit: args.throttle.rateLimit, throttlingBurstLimit: args.throttle.burstLimit },
            },
            parent,
        );

        // 3. With API keys: a key in a usage plan with the same throttling.
        if (auth === "apiKey") {
            const key = new aws.apigateway.ApiKey(`${name}-key`, { tags: args.tags }, parent);
            const plan = new aws.apigateway.UsagePlan(
                `${name}-plan`,
                {
                    apiStages: [{ apiId: api.id, stage: stage.stageName }],
                    throttleSettings: { rateLimit: args.throttle.rateLimit, burstLimit: args.throttle.burstLimit },
                },
                parent,
            );
            new aws.apigateway.UsagePlanKey(`${name}-plan-key`, { keyId: key.id, keyType: "API_KEY", usagePlanId: plan.id }, parent);
            this.apiKeyId = key.id;
        } else {
            this.apiKeyId = pulumi.output(undefined);
        }

        this.ordersUrl = pulumi.interpolate`${stage.invokeUrl}/orders`;
        this.registerOutputs({ ordersUrl: this.ordersUrl, apiKeyId: this.apiKeyId });
    }
}
