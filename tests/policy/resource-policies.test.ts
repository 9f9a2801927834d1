// The resource guardrails of the policy pack (state machines, connections, log groups) against
// hand-made resources: the exact messages of what they stop, and what they let through.
import * as assert from "node:assert/strict";
import { Resource, violations } from "../helpers/policy";

describe("policies state-machine-logging and state-machine-tracing", () => {
    const machine = (props: object): Resource => ({
        type: "aws:sfn/stateMachine:StateMachine",
        name: "order-state-machine",
        props: { roleArn: "arn", ...props },
    });
    const LOGGING_OFF =
        "State machine `order-state-machine` has logging off (`loggingConfiguration.level` is `OFF` or unset): set the stack's `logLevel` to `ERROR`, `FATAL` or `ALL`, or allow it for this stack with `allowLoggingOff: true` in its policy config.";
    const TRACING_OFF =
        "State machine `order-state-machine` has X-Ray tracing off, which this stack's policy config forbids (`requireTracing`): set the stack's `tracing` to `true`.";

    it("logging OFF, or no logging configuration, fails unless the stack allows it", () => {
        assert.deepEqual(violations("state-machine-logging", machine({ loggingConfiguration: { level: "OFF" } })), [LOGGING_OFF]);
        assert.deepEqual(violations("state-machine-logging", machine({})), [LOGGING_OFF]);
        assert.deepEqual(violations("state-machine-logging", machine({ loggingConfiguration: { level: "OFF" } }), { allowLoggingOff: true }), []);
        assert.deepEqual(violations("state-machine-logging", machine({ loggingConfiguration: { level: "ERROR", logDestination: "arn:...:*" } })), []);
    });

    it("tracing off fails by default and where the stack requires it, passes where it does not", () => {
        assert.deepEqual(violations("state-machine-tracing", machine({ tracingConfiguration: { enabled: false } })), [TRACING_OFF]);
        assert.deepEqual(violations("state-machine-tracing", machine({})), [TRACING_OFF]);
        assert.deepEqual(violations("state-machine-tracing", machine({ tracingConfiguration: { enabled: false } }), { requireTracing: true }), [TRACING_OFF]);
        assert.deepEqual(violations("state-machine-tracing", machine({ tracingConfiguration: { enabled: false } }), { requireTracing: false }), []);
        assert.deepEqual(violations("state-machine-tracing", machine({ tracingConfiguration: { enabled: true } })), []);
    });
});

describe("policy connection-credentials-secret", () => {
    const p = (key: string, isValueSecret?: boolean) => ({ key, value: "v", ...(isValueSecret === undefined ? {} : { isValueSecret }) });
    const connection = (authParameters: object): Resource => ({
        type: "aws:cloudwatch/eventConnection:EventConnection",
        name: "payment-connection",
        props: { authorizationType: "OAUTH_CLIENT_CREDENTIALS", authParameters },
    });

    it("reports each credential-like parameter that is not marked secret, with the config command that fixes it", () => {
        const found = violations(
            "connection-credentials-secret",
            connection({
                invocationHttpParameters: {
                    headers: [p("X-Client-Name", false), p("X-Merchant-Token", false), p("Authorization", true)],
                    queryStrings: [p("api_key")],
                    bodies: [p("password", false)],
                },
                oauth: { oauthHttpParameters: { bodies: [p("grant_type", false), p("client_secret", false)] } },
            }),
        );
        assert.deepEqual(found, [
            "Connection `payment-connection` sends the invocation header `X-Merchant-Token` in plain text (`isValueSecret` is not `true`): mark it secret; here, remove it from the plain config and run `pulumi config set --secret --path 'secrets.<api>.invocationParameters.headers.X-Merchant-Token' <value>`.",
            "Connection `payment-connection` sends the invocation query-string parameter `api_key` in plain text (`isValueSecret` is not `true`): mark it secret; here, remove it from the plain config and run `pulumi config set --secret --path 'secrets.<api>.invocationParameters.queryStrings.api_key' <value>`.",
            "Connection `payment-connection` sends the invocation body parameter `password` in plain text (`isValueSecret` is not `true`): mark it secret; here, remove it from the plain config and run `pulumi config set --secret --path 'secrets.<api>.invocationParameters.bodies.password' <value>`.",
            "Connection `payment-connection` sends the OAuth token request body parameter `client_secret` in plain text (`isValueSecret` is not `true`): mark it secret; here, remove it from the plain config and run `pulumi config set --secret --path 'secrets.<api>.tokenParameters.bodies.client_secret' <value>`.",
        ]);
    });

    it("passes plain non-credential parameters, secret credentials and connections without parameters", () => {
        assert.deepEqual(
            violations(
                "connection-credentials-secret",
                connection({ invocationHttpParameters: { headers: [p("X-Client-Name", false), p("X-Api-Key", true)] } }),
            ),
            [],
        );
        assert.deepEqual(violations("connection-credentials-secret", connection({ apiKey: { key: "X-Api-Key", value: "k" } })), []);
    });
});

describe("policy log-group-retention", () => {
    const logGroup = (props: object): Resource => ({
        type: "aws:cloudwatch/logGroup:LogGroup",
        name: "order-workflow-logs",
        props: { name: "/aws/vendedlogs/states/x", ...props },
    });
    const NO_RETENTION =
        "Log group `order-workflow-logs` has no retention (`retentionInDays` is unset, so events are kept forever): set `retentionInDays` to a period CloudWatch Logs accepts, e.g. `30` (the stack's `logRetentionDays`).";

    it("fails without retention or with 0 (never expire), passes with a period", () => {
        assert.deepEqual(violations("log-group-retention", logGroup({})), [NO_RETENTION]);
        assert.deepEqual(violations("log-group-retention", logGroup({ retentionInDays: 0 })), [NO_RETENTION]);
        assert.deepEqual(violations("log-group-retention", logGroup({ retentionInDays: 14 })), []);
    });
});
