// Mocks prove what the program declares; they cannot prove that S3, Scheduler or IAM accept it.
import * as assert from "node:assert/strict";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ApiConnection } from "../../deploy/components/api-connection";
import { CollectWorkflow, mapRunChildrenOf } from "../../deploy/workflows/collect/component";
import { readStackFile, stackSettings } from "../../tools/stack-file";
import { mocks, useStack } from "../helpers/mocks";
import { input, only, resolve, settle } from "../helpers/pulumi";

const ROOT = path.join(__dirname, "..", "..");
const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:sfn-http-workflows-test-collect";

describe("CollectWorkflow", () => {
    beforeEach(() => useStack("test", "eu-west-1"));

    async function declare() {
        const settings = stackSettings(readStackFile("dev", ROOT));
        const collect = settings.collect!;
        const apis = {
            telemetry: {
                baseUrl: settings.apis.telemetry.baseUrl,
                connection: new ApiConnection("telemetry", { auth: { type: "apiKey", headerName: "X-Api-Key", apiKey: "k" } }),
            },
            social: {
                baseUrl: settings.apis.social.baseUrl,
                connection: new ApiConnection("social", { auth: { type: "basic", username: "u", password: "p" } }),
            },
        };
        const wf = new CollectWorkflow("collect", { apis, collect, workflow: { logLevel: "ERROR", tags: { team: "t" } } });
        await resolve(pulumi.all([wf.stateMachineArn, wf.bucketName, wf.scheduleName, wf.deadLetterQueueUrl]));
        await settle();
        return Object.assign(collect, { mapRunChildren: wf.mapRunChildren });
    }

    it("names the Map Runs monitoring watches, with their child type, as the deployed definition has them", async () => {
        const { mapRunChildren } = await declare();
        const machine = only("aws:sfn/stateMachine:StateMachine");
        const deployed = JSON.parse(String(input(machine, "definition")));
        assert.deepEqual(mapRunChildrenOf(deployed), mapRunChildren);
        assert.deepEqual(
            [...mapRunChildren].sort((a, b) => a.label.localeCompare(b.label)),
            ["readings", "sources_social", "sources_telemetry"].map((label) => ({ label, executionType: "EXPRESS" })),
        );
    });

    it("keeps pages in an encrypted, private, TLS-only bucket that expires them after the stack's retention", async () => {
        const collect = await declare();
        const bucket = only("aws:s3/bucket:Bucket");
        assert.equal(input(bucket, "forceDestroy"), false);
        assert.deepEqual(input(only("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"), "rules"), [
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true },
        ]);
        const block = only("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        for (const key of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(input(block, key), true, key);
        assert.deepEqual(input(only("aws:s3/bucketOwnershipControls:BucketOwnershipControls"), "rule"), { objectOwnership: "BucketOwnerEnforced" });
        const policy = JSON.parse(String(input(only("aws:s3/bucketPolicy:BucketPolicy"), "policy")));
        assert.deepEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.equal(policy.Statement[0].Effect, "Deny");
        const rules = input(only("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"), "rules") as {
            filter: { prefix: string };
            expiration: { days: number };
        }[];
        assert.deepEqual(
            rules.map((r) => [r.filter.prefix, r.expiration.days]),
            collect.sources.map((s) => [`${s.name}/`, collect.retentionDays]),
        );
        assert.ok(!rules.some((r) => "inputs/devices.json".startsWith(r.filter.prefix)), "the item list does not expire");
    });

    it("is started by EventBridge Scheduler on the stack's schedule, with retries and a dead-letter queue, through a role that can do only that", async () => {
        const collect = await declare();
        const schedule = only("aws:scheduler/schedule:Schedule");
        assert.equal(input(schedule, "scheduleExpression"), collect.schedule.expression);
        assert.equal(input(schedule, "scheduleExpressionTimezone"), collect.schedule.timezone);
        assert.equal(input(schedule, "state"), "ENABLED");
        const target = input(schedule, "target") as Record<string, unknown>;
        assert.equal(target.arn, MACHINE);
        assert.deepEqual(target.retryPolicy, {
            maximumRetryAttempts: collect.schedule.retryAttempts,
            maximumEventAgeInSeconds: collect.schedule.maxEventAgeSeconds,
        });
        const queue = only("aws:sqs/queue:Queue");
        assert.equal(input(queue, "sqsManagedSseEnabled"), true);
        assert.deepEqual(target.deadLetterConfig, { arn: queue.state.arn });
        const role = mocks.ofType("aws:iam/role:Role").find((r) => r.state.arn === target.roleArn)!;
        const trust = JSON.parse(String(input(role, "assumeRolePolicy")));
        assert.deepEqual(trust.Statement[0].Principal, { Service: "scheduler.amazonaws.com" });
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
        const policy = JSON.parse(
            String(
                input(
                    mocks.ofType("aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === role.id)!,
                    "policy",
                ),
            ),
        );
        assert.deepEqual(
            policy.Statement.map((s: { Action: string[]; Resource: string[] }) => [s.Action, s.Resource]),
            [
                [["states:StartExecution"], [MACHINE]],
                [["sqs:SendMessage"], [queue.state.arn]],
            ],
        );
    });

    it("lets the execution role be assumed by its own Map Run children, and by nothing else", async () => {
        await declare();
        const machine = only("aws:sfn/stateMachine:StateMachine");
        const role = mocks.ofType("aws:iam/role:Role").find((r) => r.state.arn === machine.inputs.roleArn)!;
        const raw = input(role, "assumeRolePolicy");
        const trust = typeof raw === "string" ? JSON.parse(raw) : (raw as { Statement: { Condition: { ArnLike: Record<string, string[]> } }[] });
        assert.deepEqual(trust.Statement.length, 1);
        assert.deepEqual(trust.Statement[0].Condition.ArnLike["aws:SourceArn"].sort(), [
            MACHINE,
            `${MACHINE}/readings`,
            `${MACHINE}/readings:*`,
            `${MACHINE}/sources_social`,
            `${MACHINE}/sources_social:*`,
            `${MACHINE}/sources_telemetry`,
            `${MACHINE}/sources_telemetry:*`,
            `${MACHINE}:*`,
        ]);
    });
});
