import * as assert from "node:assert/strict";
import { connectionArnOf, derivePolicy, httpStatementSid, LOG_DELIVERY_ACTIONS, PolicyContext, XRAY_ACTIONS } from "../../deploy/asl/policy";
import { dynamicPath, httpTask } from "../../deploy/asl/http-task";
import { path } from "../../deploy/asl/payload";
import { snsPublish } from "../../deploy/asl/sns-task";
import { StateMachineDefinition, TaskState } from "../../deploy/asl/types";
import { isAllowed } from "../helpers/iam";

const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders";
const CONN_A = "arn:aws:events:eu-west-1:123456789012:connection/pay/11111111-1111-1111-1111-111111111111";
const CONN_B = "arn:aws:events:eu-west-1:123456789012:connection/inv/22222222-2222-2222-2222-222222222222";
const SECRET_A = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:events!connection/pay/aaaa-AbCdEf";
const SECRET_B = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:events!connection/inv/bbbb-GhIjKl";
const context: PolicyContext = { stateMachineArn: MACHINE, connectionSecrets: { [CONN_A]: SECRET_A, [CONN_B]: SECRET_B }, logging: false, tracing: false };

function machine(states: Record<string, TaskState>): StateMachineDefinition {
    const names = Object.keys(states);
    return { StartAt: names[0], States: states };
}
const end = { End: true } as const;
const pay = { baseUrl: "https://api.example.com/v1", connectionArn: CONN_A };
const inv = { baseUrl: "https://inventory.example.com", connectionArn: CONN_B };
const invoke = (method: string, endpoint: string) => ({
    action: "states:InvokeHTTPEndpoint",
    resource: MACHINE,
    context: { "states:HTTPMethod": method, "states:HTTPEndpoint": endpoint },
});

describe("derivePolicy", () => {
    const definition = machine({
        Charge: httpTask({ api: pay, path: "/charges", method: "POST", transition: { Next: "Release" } }),
        Release: httpTask({ api: inv, path: dynamicPath("/reservations/{}", path("$.id")), method: "DELETE", transition: { Next: "Notify" } }),
        Notify: snsPublish({ topicArn: "arn:aws:sns:eu-west-1:123456789012:orders", message: "done", transition: end }),
    });
    const policy = derivePolicy(definition, context);

    it("names HTTP statements by what they grant, so adding a call leaves the other statements as they were", () => {
        const more = derivePolicy(
            machine({
                Charge: httpTask({ api: pay, path: "/charges", method: "POST", transition: { Next: "Fraud" } }),
                Fraud: httpTask({ api: pay, path: "/fraud-checks", method: "POST", transition: { Next: "Release" } }),
                Release: httpTask({ api: inv, path: dynamicPath("/reservations/{}", path("$.id")), method: "DELETE", transition: { Next: "Notify" } }),
                Notify: snsPublish({ topicArn: "arn:aws:sns:eu-west-1:123456789012:orders", message: "done", transition: end }),
            }),
            context,
        );
        const before = new Map(policy.Statement.map((s) => [s.Sid, s]));
        const added = more.Statement.filter((s) => !before.has(s.Sid));
        assert.deepEqual(
            added.map((s) => s.Sid),
            ["InvokePostApiExampleComV1FraudChecks"],
        );
        for (const s of more.Statement.filter((x) => before.has(x.Sid))) assert.deepEqual(s, before.get(s.Sid));
    });

    it("keeps statement ids unique and short: a hash tells apart endpoints that read the same", () => {
        const a = httpStatementSid({ kind: "exact", url: "https://a.example/x-y" }, ["GET"]);
        assert.equal(a, "InvokeGetAExampleXY");
        const b = httpStatementSid({ kind: "exact", url: "https://a.example/x_y" }, ["GET"], new Set([a]));
        assert.match(b, /^InvokeGetAExampleXY[0-9a-f]{8}$/);
        const long = httpStatementSid({ kind: "exact", url: `https://a.example/${"segment/".repeat(30)}` }, ["GET", "POST"]);
        assert.equal(long.length, 99);
        assert.match(long, /^[A-Za-z0-9]+$/);
    });

    it("emits exactly the statements the definition needs, in a stable order", () => {
        assert.deepEqual(policy, {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "InvokePostApiExampleComV1Charges",
                    Effect: "Allow",
                    Action: ["states:InvokeHTTPEndpoint"],
                    Resource: [MACHINE],
                    Condition: { StringEquals: { "states:HTTPMethod": "POST", "states:HTTPEndpoint": "https://api.example.com/v1/charges" } },
                },
                {
                    Sid: "InvokeDeleteInventoryExampleComReservationsAny",
                    Effect: "Allow",
                    Action: ["states:InvokeHTTPEndpoint"],
                    Resource: [MACHINE],
                    Condition: {
                        StringEquals: { "states:HTTPMethod": "DELETE" },
                        StringLike: { "states:HTTPEndpoint": "https://inventory.example.com/reservations/*" },
                    },
                },
                { Sid: "RetrieveConnectionCredentials", Effect: "Allow", Action: ["events:RetrieveConnectionCredentials"], Resource: [CONN_B, CONN_A] },
                {
                    Sid: "ReadConnectionSecrets",
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    Resource: [SECRET_B, SECRET_A],
                },
                { Sid: "PublishNotifications", Effect: "Allow", Action: ["sns:Publish"], Resource: ["arn:aws:sns:eu-west-1:123456789012:orders"] },
            ],
        });
    });

    const cases: [string, ReturnType<typeof invoke>, boolean][] = [
        ["the static endpoint with its method", invoke("POST", "https://api.example.com/v1/charges"), true],
        ["the static endpoint with another method", invoke("GET", "https://api.example.com/v1/charges"), false],
        ["a sibling path of the static endpoint", invoke("POST", "https://api.example.com/v1/refunds"), false],
        ["a longer path under the static endpoint", invoke("POST", "https://api.example.com/v1/charges/x"), false],
        ["the dynamic endpoint with an id", invoke("DELETE", "https://inventory.example.com/reservations/r-1"), true],
        ["the dynamic endpoint with another method", invoke("POST", "https://inventory.example.com/reservations/r-1"), false],
        ["a look-alike host after the base", invoke("DELETE", "https://inventory.example.com.evil.tld/reservations/r-1"), false],
        ["another host", invoke("DELETE", "https://evil.tld/reservations/r-1"), false],
        ["plain http", invoke("DELETE", "http://inventory.example.com/reservations/r-1"), false],
    ];
    for (const [what, request, allowed] of cases) {
        it(`${allowed ? "allows" : "denies"} ${what}`, () => assert.equal(isAllowed(policy, request), allowed));
    }

    it("grants kms:Decrypt on exactly a connection's customer-managed key, through Secrets Manager, for that connection's secret only", () => {
        const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const keyed = derivePolicy(definition, { ...context, connectionKeys: { [CONN_B]: KEY } });
        const decrypt = keyed.Statement.filter((st) => st.Action.includes("kms:Decrypt"));
        assert.deepEqual(decrypt, [
            {
                Sid: "DecryptConnectionSecrets" + decrypt[0].Sid.slice("DecryptConnectionSecrets".length),
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: [KEY],
                Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com", "kms:EncryptionContext:SecretARN": [SECRET_B] } },
            },
        ]);
        assert.match(decrypt[0].Sid, /^DecryptConnectionSecrets[0-9a-f]{8}$/);
        const decryptWith = (extra: Record<string, string>) => ({
            action: "kms:Decrypt",
            resource: KEY,
            context: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com", "kms:EncryptionContext:SecretARN": SECRET_B, ...extra },
        });
        assert.equal(isAllowed(keyed, decryptWith({})), true);
        assert.equal(isAllowed(keyed, decryptWith({ "kms:EncryptionContext:SecretARN": SECRET_A })), false);
        assert.equal(isAllowed(keyed, decryptWith({ "kms:ViaService": "s3.eu-west-1.amazonaws.com" })), false);
        assert.equal(isAllowed(keyed, { ...decryptWith({}), resource: KEY.replace("1234abcd", "99999999") }), false);
        // No key, no statement: the AWS owned key needs no grant.
        assert.equal(
            policy.Statement.some((st) => st.Action.includes("kms:Decrypt")),
            false,
        );
    });

    it("denies the calls from any other state machine", () => {
        assert.equal(isAllowed(policy, { ...invoke("POST", "https://api.example.com/v1/charges"), resource: `${MACHINE}-other` }), false);
    });

    it("groups methods per endpoint and adds version ARNs when versions are published", () => {
        const twoMethods = machine({
            A: httpTask({ api: pay, path: "/items", method: "GET", transition: { Next: "B" } }),
            B: httpTask({ api: pay, path: "/items", method: "PUT", transition: end }),
        });
        const [statement] = derivePolicy(twoMethods, { ...context, publishesVersions: true }).Statement;
        assert.deepEqual(statement.Condition, {
            StringEquals: { "states:HTTPMethod": ["GET", "PUT"], "states:HTTPEndpoint": "https://api.example.com/v1/items" },
        });
        assert.deepEqual(statement.Resource, [MACHINE, `${MACHINE}:*`]);
    });

    it("grants log delivery and X-Ray only when they are on", () => {
        const on = derivePolicy(definition, { ...context, logging: true, tracing: true }).Statement.slice(-2);
        assert.deepEqual(
            on.map((s) => [s.Sid, s.Action]),
            [
                ["DeliverLogs", LOG_DELIVERY_ACTIONS],
                ["WriteTraces", XRAY_ACTIONS],
            ],
        );
        assert.equal(
            policy.Statement.some((s) => s.Sid === "DeliverLogs" || s.Sid === "WriteTraces"),
            false,
        );
    });

    it("escapes IAM wildcards in endpoints so they match only themselves", () => {
        const odd = machine({
            A: httpTask({ api: { ...pay, baseUrl: "https://api.example.com/a*b" }, path: dynamicPath("/x/{}", path("$.id")), method: "GET", transition: end }),
        });
        const p = derivePolicy(odd, context);
        assert.equal(isAllowed(p, invoke("GET", "https://api.example.com/a*b/x/1")), true);
        assert.equal(isAllowed(p, invoke("GET", "https://api.example.com/aZZb/x/1")), false);
    });

    const failures: [string, StateMachineDefinition, PolicyContext, string][] = [
        [
            "a dynamic endpoint with no static base",
            machine({
                A: {
                    Type: "Task",
                    Resource: "arn:aws:states:::http:invoke",
                    Parameters: { "ApiEndpoint.$": "$.url", Method: "GET", Authentication: { ConnectionArn: CONN_A } },
                    End: true,
                },
            }),
            context,
            "State `A`: a dynamic `ApiEndpoint.$` needs a static https base URL (use `States.Format('https://host/path/{}', ...)`); got `$.url`.",
        ],
        [
            "a placeholder inside the host",
            machine({
                A: {
                    Type: "Task",
                    Resource: "arn:aws:states:::http:invoke",
                    Parameters: {
                        "ApiEndpoint.$": "States.Format('https://api.example.com{}', $.p)",
                        Method: "GET",
                        Authentication: { ConnectionArn: CONN_A },
                    },
                    End: true,
                },
            }),
            context,
            "State `A`: a dynamic `ApiEndpoint.$` needs a static https base URL (use `States.Format('https://host/path/{}', ...)`); got `States.Format('https://api.example.com{}', $.p)`.",
        ],
        [
            "a dynamic method",
            machine({
                A: {
                    Type: "Task",
                    Resource: "arn:aws:states:::http:invoke",
                    Parameters: { ApiEndpoint: "https://api.example.com/x", "Method.$": "$.m", Authentication: { ConnectionArn: CONN_A } },
                    End: true,
                },
            }),
            context,
            "State `A` needs a literal `Method`: a dynamic method cannot be scoped in IAM.",
        ],
        [
            "a non-https endpoint",
            machine({
                A: {
                    Type: "Task",
                    Resource: "arn:aws:states:::http:invoke",
                    Parameters: { ApiEndpoint: "http://api.example.com/x", Method: "GET", Authentication: { ConnectionArn: CONN_A } },
                    End: true,
                },
            }),
            context,
            "State `A` calls `http://api.example.com/x`: only https endpoints can be granted.",
        ],
        [
            "a connection without a known secret",
            machine({
                A: httpTask({ api: { ...pay, connectionArn: "arn:aws:events:eu-west-1:123456789012:connection/x/y" }, method: "GET", transition: end }),
            }),
            context,
            "Connection `arn:aws:events:eu-west-1:123456789012:connection/x/y` is used by the definition but its secret ARN is unknown: pass that connection to the workflow.",
        ],
        [
            "a dynamic topic",
            machine({ A: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { "TopicArn.$": "$.t", Message: "m" }, End: true } }),
            context,
            "State `A` needs a literal `TopicArn`: a dynamic topic cannot be scoped in IAM.",
        ],
        [
            "an unknown integration",
            machine({ A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } }),
            context,
            "State `A` uses `arn:aws:states:::lambda:invoke`, which derivePolicy cannot grant; add it to deploy/asl/policy.ts.",
        ],
    ];
    for (const [what, def, ctx, message] of failures) {
        it(`throws on ${what}`, () => assert.throws(() => derivePolicy(def, ctx), { message }));
    }

    it("finds tasks nested in Parallel branches", () => {
        const nested: StateMachineDefinition = {
            StartAt: "P",
            States: { P: { Type: "Parallel", Branches: [machine({ In: httpTask({ api: pay, path: "/n", method: "GET", transition: end }) })], End: true } },
        };
        assert.equal(isAllowed(derivePolicy(nested, context), invoke("GET", "https://api.example.com/v1/n")), true);
    });

    it("requires exactly one connection holder", () => {
        assert.equal(connectionArnOf({ InvocationConfig: { ConnectionArn: CONN_A } }, "A"), CONN_A);
        assert.throws(() => connectionArnOf({ Authentication: { ConnectionArn: CONN_A }, InvocationConfig: { ConnectionArn: CONN_A } }, "A"), {
            message: "State `A` must name its connection in exactly one of `Authentication` or `InvocationConfig`.",
        });
    });
});
