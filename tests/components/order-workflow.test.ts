// Mocks prove what the program declares; they cannot prove that AWS accepts it or delivers email.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ApiConnection } from "../../deploy/components/api-connection";
import { orderModule } from "../../deploy/workflows/order";
import { OrderWorkflow, subscriptionName } from "../../deploy/workflows/order/component";
import { HTTP_INVOKE } from "../../deploy/asl/http-task";
import { StateMachineDefinition } from "../../deploy/asl/types";
import { allStates } from "../../deploy/asl/walk";
import { perOrderApi } from "../helpers/asl";
import { mocks, useStack } from "../helpers/mocks";
import { countsByType, input, only, resolve, settle } from "../helpers/pulumi";

function build(name = "order", emails = ["a@example.com", "b@example.com"]) {
    const basic = (n: string) => new ApiConnection(`${name}-${n}`, { auth: { type: "basic", username: "u", password: `fake-${n}-password` } });
    // One connection per API of the saga's module, in its order; the payment API on a host of its own.
    const connections = orderModule.apis.map((api) => basic(api));
    const baseUrl = (api: string) => (api === "payment" ? "https://pay.example.com/v1" : `https://${api}.example.com`);
    const order = new OrderWorkflow(name, {
        apis: perOrderApi((api, i) => ({ baseUrl: baseUrl(api), connection: connections[i] })),
        notifications: { emails, smsNumbers: ["+14155550100"] },
        workflow: { logLevel: "ERROR", tracing: false },
    });
    return { order, connections };
}

describe("OrderWorkflow", () => {
    beforeEach(() => useStack("test", "us-east-1"));

    it("declares the topic, one subscription per endpoint and one HttpWorkflow", async () => {
        const { order } = build();
        await resolve(order.stateMachineArn);
        await settle();
        assert.deepEqual(countsByType(), {
            "aws:cloudwatch/eventConnection:EventConnection": orderModule.apis.length,
            "aws:cloudwatch/logGroup:LogGroup": 1,
            "aws:iam/role:Role": 1,
            "aws:iam/rolePolicy:RolePolicy": 1,
            "aws:sfn/stateMachine:StateMachine": 1,
            "aws:sns/topic:Topic": 1,
            "aws:sns/topicSubscription:TopicSubscription": 3,
            "sfn-http-workflows:index:ApiConnection": orderModule.apis.length,
            "sfn-http-workflows:index:HttpWorkflow": 1,
            "sfn-http-workflows:index:OrderWorkflow": 1,
        });
        const subscriptions = mocks.ofType("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.inputs.protocol, s.inputs.endpoint]);
        assert.deepEqual(subscriptions.sort(), [
            ["email", "a@example.com"],
            ["email", "b@example.com"],
            ["sms", "+14155550100"],
        ]);
    });

    it("names subscriptions by endpoint, so removing the first address renames none of the others", async () => {
        const names = async (emails: string[]) => {
            useStack("test", "us-east-1");
            const { order } = build("order", emails);
            await resolve(order.stateMachineArn);
            await settle();
            return mocks.ofType("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.name, s.inputs.endpoint]);
        };
        const before = await names(["a@example.com", "b@example.com"]);
        const after = await names(["b@example.com"]);
        assert.deepEqual(
            after,
            before.filter(([, endpoint]) => endpoint !== "a@example.com"),
        );
        assert.deepEqual(before[1], [subscriptionName("order", "email", "b@example.com"), "b@example.com"]);
        assert.match(String(before[1][0]), /^order-email-[0-9a-f]{10}$/);
        assert.equal(subscriptionName("order", "email", " B@Example.com "), subscriptionName("order", "email", "b@example.com"));
    });

    it("puts connection ARNs and the topic in the ASL, and grants exactly those", async () => {
        const { order, connections } = build();
        const [topicArn, connectionArns, secretArns, policy] = await resolve(
            pulumi.all([order.topicArn, pulumi.all(connections.map((c) => c.arn)), pulumi.all(connections.map((c) => c.secretArn)), order.workflow.policy]),
        );
        await settle();
        const definition = JSON.parse(String(input(only("aws:sfn/stateMachine:StateMachine"), "definition"))) as StateMachineDefinition;
        const named = allStates(definition).flatMap((s) =>
            s.state.Type === "Task" && s.state.Resource === HTTP_INVOKE
                ? [(s.state.Parameters?.InvocationConfig as { ConnectionArn: string }).ConnectionArn]
                : [],
        );
        assert.deepEqual([...new Set(named)].sort(), [...connectionArns].sort());
        const byId = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s.Resource]));
        assert.deepEqual(byId.RetrieveConnectionCredentials, [...connectionArns].sort());
        assert.deepEqual(byId.ReadConnectionSecrets, [...secretArns].sort());
        assert.deepEqual(byId.PublishNotifications, [topicArn]);
        // One statement per endpoint the definition calls, its methods together (derivePolicy); a dynamic endpoint counts by its
        // template (two states may fill the same `{}` from different paths).
        const calls = new Set(
            allStates(definition).flatMap((s) =>
                s.state.Type === "Task" && s.state.Resource === HTTP_INVOKE
                    ? [String(s.state.Parameters?.ApiEndpoint ?? s.state.Parameters?.["ApiEndpoint.$"]).split("', ")[0]]
                    : [],
            ),
        );
        assert.equal(policy.Statement.filter((s) => s.Action.includes("states:InvokeHTTPEndpoint")).length, calls.size);
    });

    it("keeps fake credentials out of every input but the connections' auth parameters", async () => {
        const { order } = build();
        await resolve(order.stateMachineArn);
        await settle();
        for (const r of mocks.resources) {
            const text = JSON.stringify(r.type.endsWith("EventConnection") ? { ...r.inputs, authParameters: undefined } : r.inputs);
            assert.equal(/fake-\w+-password/.test(text), false, `${r.type} ${r.name}`);
        }
    });

    it("two instances do not collide", async () => {
        const a = build("order");
        const b = build("returns");
        const names = await resolve(pulumi.all([a.order.stateMachineName, b.order.stateMachineName]));
        await settle();
        assert.deepEqual(names, ["sfn-http-workflows-test-order", "sfn-http-workflows-test-returns"]);
        const urns = mocks.resources.map((r) => `${r.type}::${r.name}`);
        assert.equal(new Set(urns).size, urns.length);
    });

    it("fails on an unusable base URL before declaring any resource", async () => {
        const ref = { arn: "arn:aws:events:us-east-1:123456789012:connection/x/y", secretArn: "s" };
        assert.throws(
            () =>
                new OrderWorkflow("order", {
                    apis: perOrderApi((api) => ({ baseUrl: api === "payment" ? "http://pay.example.com" : `https://${api}.example.com`, connection: ref })),
                }),
            { message: "API base URL `http://pay.example.com` must use `https://`." },
        );
        await settle();
        assert.equal(mocks.resources.length, 0);
    });
});
