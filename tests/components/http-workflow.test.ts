// Mocks prove what the program declares; they cannot prove that IAM or Step Functions accept it.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { derivePolicy } from "../../deploy/asl/policy";
import { ApiConnection } from "../../deploy/components/api-connection";
import { HttpWorkflow } from "../../deploy/components/http-workflow";
import { commentsDefinition } from "../../deploy/workflows/comments/definition";
import { mocks, useStack } from "../helpers/mocks";
import { countsByType, input, only, resolve, settle } from "../helpers/pulumi";

const CONN = "arn:aws:events:eu-west-1:123456789012:connection/comments/0000";
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:events!connection/comments/1111-AbCdEf";
const definition = commentsDefinition({ baseUrl: "https://jsonplaceholder.typicode.com", connectionArn: CONN });
const MACHINE_ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:sfn-http-workflows-test-comments";

describe("HttpWorkflow", () => {
    beforeEach(() => useStack("test", "eu-west-1"));

    it("declares a role, its derived policy, a log group and the state machine", async () => {
        const wf = new HttpWorkflow("comments", {
            definition,
            connections: [{ arn: CONN, secretArn: SECRET }],
            logLevel: "ALL",
            includeExecutionData: true,
            logRetentionDays: 14,
            tracing: true,
            tags: { team: "t" },
        });
        const [arn, policy, logGroupName] = await resolve(pulumi.all([wf.stateMachineArn, wf.policy, wf.logGroupName]));
        await settle();
        assert.deepEqual(countsByType(), {
            "aws:cloudwatch/logGroup:LogGroup": 1,
            "aws:iam/role:Role": 1,
            "aws:iam/rolePolicy:RolePolicy": 1,
            "aws:sfn/stateMachine:StateMachine": 1,
            "sfn-http-workflows:index:HttpWorkflow": 1,
        });
        assert.equal(arn, MACHINE_ARN);
        assert.equal(logGroupName, "/aws/vendedlogs/states/sfn-http-workflows-test-comments");
        assert.deepEqual(
            policy,
            derivePolicy(definition, { stateMachineArn: MACHINE_ARN, connectionSecrets: { [CONN]: SECRET }, logging: true, tracing: true }),
        );
        assert.deepEqual(JSON.parse(String(input(only("aws:iam/rolePolicy:RolePolicy"), "policy"))), policy);

        const machine = only("aws:sfn/stateMachine:StateMachine");
        assert.deepEqual(JSON.parse(String(input(machine, "definition"))), definition);
        assert.deepEqual(
            [machine.inputs.name, machine.inputs.type, machine.inputs.publish, machine.inputs.tracingConfiguration, machine.inputs.tags],
            ["sfn-http-workflows-test-comments", "STANDARD", false, { enabled: true }, { team: "t" }],
        );
        assert.deepEqual(machine.inputs.loggingConfiguration, {
            level: "ALL",
            includeExecutionData: true,
            logDestination: "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/sfn-http-workflows-test-comments:*",
        });
        assert.equal(only("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 14);
    });

    it("trusts only Step Functions, from this account, for this state machine", async () => {
        new HttpWorkflow("comments", { definition, connections: [{ arn: CONN, secretArn: SECRET }] });
        await settle();
        assert.deepEqual(input(only("aws:iam/role:Role"), "assumeRolePolicy"), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "StepFunctionsForThisStateMachine",
                    Effect: "Allow",
                    Principal: { Service: "states.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": [MACHINE_ARN, `${MACHINE_ARN}:*`] } },
                },
            ],
        });
    });

    it("with testStateAccess also trusts Step Functions without a source ARN, still only from this account", async () => {
        new HttpWorkflow("comments", { definition, connections: [{ arn: CONN, secretArn: SECRET }], testStateAccess: true });
        await settle();
        const trust = input(only("aws:iam/role:Role"), "assumeRolePolicy") as { Statement: { Sid: string; Condition: unknown }[] };
        assert.deepEqual(
            trust.Statement.map((s) => [s.Sid, s.Condition]),
            [
                [
                    "StepFunctionsForThisStateMachine",
                    { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": [MACHINE_ARN, `${MACHINE_ARN}:*`] } },
                ],
                ["TestStateInThisAccount", { StringEqualsIfExists: { "aws:SourceAccount": "123456789012" } }],
            ],
        );
    });

    it("with logging OFF declares no log group and grants no log delivery", async () => {
        const wf = new HttpWorkflow("comments", { definition, connections: [{ arn: CONN, secretArn: SECRET }], logLevel: "OFF" });
        const [policy, logGroupName] = await resolve(pulumi.all([wf.policy, wf.logGroupName]));
        await settle();
        assert.equal(mocks.ofType("aws:cloudwatch/logGroup:LogGroup").length, 0);
        assert.equal(logGroupName, undefined);
        assert.deepEqual(only("aws:sfn/stateMachine:StateMachine").inputs.loggingConfiguration, { level: "OFF" });
        assert.deepEqual(
            policy.Statement.map((s) => s.Sid),
            ["InvokeGetJsonplaceholderTypicodeComComments", "RetrieveConnectionCredentials", "ReadConnectionSecrets"],
        );
    });

    it("grants kms:Decrypt on the key of a connection with kmsKeyId, resolved from its alias to the key's ARN", async () => {
        const conn = new ApiConnection("keyed", { auth: { type: "apiKey", headerName: "X-Api-Key", apiKey: "fake-key" }, kmsKeyId: "alias/orders" });
        const wf = new HttpWorkflow("comments", {
            definition: conn.arn.apply((arn) => commentsDefinition({ baseUrl: "https://jsonplaceholder.typicode.com", connectionArn: arn })),
            connections: [conn],
        });
        const [policy, keyArn, secretArn] = await resolve(pulumi.all([wf.policy, conn.kmsKeyArn, conn.secretArn]));
        await settle();
        assert.match(String(keyArn), /^arn:aws:kms:eu-west-1:123456789012:key\/[0-9a-f-]+$/);
        const decrypt = policy.Statement.filter((s) => s.Action.includes("kms:Decrypt"));
        assert.deepEqual(
            decrypt.map((s) => [s.Resource, s.Condition]),
            [[[keyArn], { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com", "kms:EncryptionContext:SecretARN": [secretArn] } }]],
        );
    });

    it("two instances do not collide", async () => {
        const a = new HttpWorkflow("a", { definition, connections: [{ arn: CONN, secretArn: SECRET }] });
        const b = new HttpWorkflow("b", { definition, connections: [{ arn: CONN, secretArn: SECRET }], type: "EXPRESS" });
        const arns = await resolve(pulumi.all([a.stateMachineArn, b.stateMachineArn, a.roleArn, b.roleArn]));
        await settle();
        assert.equal(new Set(arns).size, 4);
        const names = mocks.resources.map((r) => `${r.type}::${r.name}`);
        assert.equal(new Set(names).size, names.length);
        const logGroups = mocks.ofType("aws:cloudwatch/logGroup:LogGroup").map((r) => r.inputs.name);
        assert.deepEqual(logGroups.sort(), ["/aws/vendedlogs/states/sfn-http-workflows-test-a", "/aws/vendedlogs/states/sfn-http-workflows-test-b"]);
    });

    const rejected: [string, () => unknown, string][] = [
        [
            "a state machine name over 80 characters",
            () => new HttpWorkflow("x", { definition, connections: [], stateMachineName: "n".repeat(81) }),
            `State machine name \`${"n".repeat(81)}\` must be 1 to 80 characters of \`0-9A-Za-z-_\`; pass a shorter \`stateMachineName\`.`,
        ],
        [
            "a retention CloudWatch does not accept",
            () => new HttpWorkflow("x", { definition, connections: [], logRetentionDays: 10 }),
            "`logRetentionDays` 10 is not a period CloudWatch Logs accepts.",
        ],
    ];
    for (const [what, build, message] of rejected) {
        it(`rejects ${what} before declaring anything`, async () => {
            assert.throws(build, { message });
            await settle();
            assert.equal(mocks.resources.length, 0);
        });
    }
});
