/**
 * What the deploy role (`pulumi up`, variable `AWS_DEPLOY_ROLE_ARN`) must be allowed, as data: for each AWS resource
 * type the program can declare, the IAM actions Pulumi's AWS provider calls to create, read, update, tag and delete
 * it, with the page that names them. The `deploy-role` section lists the types the dev and prod synths declare;
 * a type with no entry here fails `npm run docs` (and the README test), so a new resource cannot go undocumented.
 */
import { LOG_DELIVERY_ACTIONS } from "../../deploy/asl/policy";
import { RecordedResource } from "../synth/mocks";

/** AWS's Service Authorization Reference, where every action below is named. */
const SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference";

/** One grant the deploy role needs. */
export interface DeployNeed {
    readonly actions: readonly string[];
    /** What the grant is scoped to, or the condition it is needed under; `undefined`: the resource itself. */
    readonly scope?: string;
    readonly source: string;
}

const apigateway = (what: string): DeployNeed => ({
    actions: ["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"],
    scope: `\`arn:aws:apigateway:<region>::${what}\``,
    source: `${SAR}/list_amazonapigatewaymanagement.html`,
});
const s3Bucket = (actions: string[]): DeployNeed[] => [{ actions, scope: "the collection bucket", source: "docs/aws-facts.md §18" }];
const tags = (service: string) => [`${service}:TagResource`, `${service}:UntagResource`, `${service}:ListTagsForResource`];

/** The deploy role's needs per Pulumi resource type. */
export const DEPLOY_NEEDS: Readonly<Record<string, readonly DeployNeed[]>> = {
    "aws:sfn/stateMachine:StateMachine": [
        {
            actions: [
                "states:CreateStateMachine",
                "states:UpdateStateMachine",
                "states:DeleteStateMachine",
                "states:DescribeStateMachine",
                ...tags("states"),
                "states:PublishStateMachineVersion",
                "states:ListStateMachineVersions",
                "states:DeleteStateMachineVersion",
            ],
            source: `${SAR}/list_awsstepfunctions.html`,
        },
        {
            // The same log-delivery actions the execution role holds (deploy/asl/policy.ts): one list.
            actions: [...LOG_DELIVERY_ACTIONS],
            scope: "`*` (Step Functions checks them for its caller when logging is on)",
            source: "https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html",
        },
        { actions: ["iam:PassRole"], scope: "the execution roles, `iam:PassedToService` = `states.amazonaws.com`", source: "docs/aws-facts.md §6" },
    ],
    "aws:iam/role:Role": [
        {
            actions: ["iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy"],
            scope: "this project's roles",
            source: `${SAR}/list_awsidentityandaccessmanagementiam.html`,
        },
        {
            actions: ["iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole"],
            scope: "this project's roles (read before a delete)",
            source: `${SAR}/list_awsidentityandaccessmanagementiam.html`,
        },
    ],
    "aws:iam/rolePolicy:RolePolicy": [
        {
            actions: ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"],
            scope: "this project's roles",
            source: `${SAR}/list_awsidentityandaccessmanagementiam.html`,
        },
    ],
    "aws:cloudwatch/eventConnection:EventConnection": [
        {
            actions: ["events:CreateConnection", "events:UpdateConnection", "events:DeleteConnection", "events:DescribeConnection"],
            source: `${SAR}/list_amazoneventbridge.html`,
        },
        {
            actions: [
                "secretsmanager:CreateSecret",
                "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecret",
                "secretsmanager:DeleteSecret",
                "secretsmanager:DescribeSecret",
                "secretsmanager:TagResource",
            ],
            scope: "`arn:aws:secretsmanager:*:*:secret:events!connection/*` (EventBridge acts on the caller's behalf)",
            source: "docs/aws-facts.md §7.4",
        },
        {
            actions: ["iam:CreateServiceLinkedRole"],
            scope: "`AWSServiceRoleForAmazonEventBridgeApiDestinations`, `iam:AWSServiceName` = `apidestinations.events.amazonaws.com` (the account's first connection)",
            source: "docs/aws-facts.md §18",
        },
        {
            actions: ["kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKey"],
            scope: "only for a connection with `kmsKeyId`: that key",
            source: "docs/aws-facts.md §7.6",
        },
    ],
    "aws:cloudwatch/logGroup:LogGroup": [
        {
            actions: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DescribeLogGroups", ...tags("logs")],
            source: `${SAR}/list_amazoncloudwatchlogs.html`,
        },
    ],
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": [
        { actions: ["logs:PutMetricFilter", "logs:DescribeMetricFilters", "logs:DeleteMetricFilter"], source: `${SAR}/list_amazoncloudwatchlogs.html` },
    ],
    "aws:cloudwatch/metricAlarm:MetricAlarm": [
        {
            actions: [
                "cloudwatch:PutMetricAlarm",
                "cloudwatch:DescribeAlarms",
                "cloudwatch:DeleteAlarms",
                "cloudwatch:TagResource",
                "cloudwatch:ListTagsForResource",
            ],
            source: `${SAR}/list_amazoncloudwatch.html`,
        },
    ],
    "aws:cloudwatch/dashboard:Dashboard": [
        { actions: ["cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards"], source: `${SAR}/list_amazoncloudwatch.html` },
    ],
    "aws:sns/topic:Topic": [
        {
            actions: ["sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", ...tags("sns")],
            source: `${SAR}/list_amazonsns.html`,
        },
    ],
    "aws:sns/topicSubscription:TopicSubscription": [
        { actions: ["sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes"], source: `${SAR}/list_amazonsns.html` },
    ],
    "aws:sqs/queue:Queue": [
        {
            actions: [
                "sqs:CreateQueue",
                "sqs:DeleteQueue",
                "sqs:GetQueueAttributes",
                "sqs:SetQueueAttributes",
                "sqs:TagQueue",
                "sqs:UntagQueue",
                "sqs:ListQueueTags",
            ],
            source: `${SAR}/list_amazonsqs.html`,
        },
    ],
    "aws:scheduler/schedule:Schedule": [
        {
            actions: ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule"],
            source: `${SAR}/list_amazoneventbridgescheduler.html`,
        },
        {
            actions: ["iam:PassRole"],
            scope: "the scheduler role, `iam:PassedToService` = `scheduler.amazonaws.com`",
            source: `${SAR}/list_amazoneventbridgescheduler.html`,
        },
    ],
    "aws:s3/bucket:Bucket": s3Bucket([
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:GetBucket*",
        "s3:PutBucketTagging",
        "s3:ListBucket",
        "s3:GetAccelerateConfiguration",
        "s3:GetReplicationConfiguration",
    ]),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": s3Bucket(["s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls"]),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": s3Bucket(["s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"]),
    "aws:s3/bucketPolicy:BucketPolicy": s3Bucket(["s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"]),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": s3Bucket([
        "s3:PutEncryptionConfiguration",
        "s3:GetEncryptionConfiguration",
    ]),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": s3Bucket(["s3:PutLifecycleConfiguration", "s3:GetLifecycleConfiguration"]),
    "aws:apigateway/restApi:RestApi": [
        apigateway("/restapis*"),
        {
            actions: ["iam:PassRole"],
            scope: "the intake's integration role, `iam:PassedToService` = `apigateway.amazonaws.com`",
            source: `${SAR}/list_amazonapigatewaymanagement.html`,
        },
    ],
    "aws:apigateway/deployment:Deployment": [apigateway("/restapis*")],
    "aws:apigateway/stage:Stage": [apigateway("/restapis*"), apigateway("/tags*")],
    "aws:apigateway/methodSettings:MethodSettings": [apigateway("/restapis*")],
    "aws:apigateway/apiKey:ApiKey": [apigateway("/apikeys*")],
    "aws:apigateway/usagePlan:UsagePlan": [apigateway("/usageplans*")],
    "aws:apigateway/usagePlanKey:UsagePlanKey": [apigateway("/usageplans*")],
    "aws:vpclattice/resourceGateway:ResourceGateway": [
        {
            actions: [
                "vpc-lattice:CreateResourceGateway",
                "vpc-lattice:GetResourceGateway",
                "vpc-lattice:UpdateResourceGateway",
                "vpc-lattice:DeleteResourceGateway",
                ...tags("vpc-lattice"),
            ],
            source: `${SAR}/list_amazonvpclattice.html`,
        },
        {
            actions: [
                "ec2:DescribeVpcs",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
            ],
            scope: "`*` (the gateway's network interfaces)",
            source: `${SAR}/list_amazonec2.html`,
        },
        {
            actions: ["iam:CreateServiceLinkedRole"],
            scope: "`iam:AWSServiceName` = `vpc-lattice.amazonaws.com` (the account's first resource)",
            source: `${SAR}/list_amazonvpclattice.html`,
        },
    ],
    "aws:vpclattice/resourceConfiguration:ResourceConfiguration": [
        {
            actions: [
                "vpc-lattice:CreateResourceConfiguration",
                "vpc-lattice:GetResourceConfiguration",
                "vpc-lattice:UpdateResourceConfiguration",
                "vpc-lattice:DeleteResourceConfiguration",
                "vpc-lattice:CreateServiceNetworkResourceAssociation",
                "vpc-lattice:AssociateViaAWSService-EventsAndStates",
            ],
            scope: "the association EventBridge makes for a private connection",
            source: "docs/aws-facts.md §7.5",
        },
    ],
};

/** Every stack needs this: the provider asks who it is before anything else. */
export const ALWAYS: DeployNeed = { actions: ["sts:GetCallerIdentity"], scope: "`*`", source: `${SAR}/list_awssecuritytokenservice.html` };

/** The AWS resource types each stack declares, by stack; throws for a type with no entry in `DEPLOY_NEEDS`. */
export function declaredTypes(resourcesByStack: Readonly<Record<string, readonly RecordedResource[]>>): Map<string, string[]> {
    const types = new Map<string, string[]>();
    for (const [stack, resources] of Object.entries(resourcesByStack))
        for (const type of new Set(resources.map((r) => r.type).filter((t) => t.startsWith("aws:")))) types.set(type, [...(types.get(type) ?? []), stack]);
    const missing = [...types.keys()].filter((t) => !DEPLOY_NEEDS[t]);
    if (missing.length)
        throw new Error(`The deploy role's needs are unknown for ${missing.map((t) => `\`${t}\``).join(", ")}: add them to tools/docs/deploy-role.ts.`);
    return types;
}

const link = (source: string) => (source.startsWith("https://") ? `[${source.replace(/^.*\//, "").replace(/\.html$/, "")}](${source})` : source);

/** The section: one row per grant, naming every declared type that needs it (types in order), and the stacks that declare them. */
export function deployRoleMarkdown(resourcesByStack: Readonly<Record<string, readonly RecordedResource[]>>): string {
    const types = declaredTypes(resourcesByStack);
    const grants = new Map<string, { need: DeployNeed; types: string[]; stacks: Set<string> }>();
    for (const type of [...types.keys()].sort())
        for (const need of DEPLOY_NEEDS[type]) {
            const key = JSON.stringify([need.actions, need.scope, need.source]);
            const grant = grants.get(key) ?? { need, types: [], stacks: new Set<string>() };
            grant.types.push(type);
            types.get(type)!.forEach((s) => grant.stacks.add(s));
            grants.set(key, grant);
        }
    const row = (what: string, stacks: Iterable<string>, need: DeployNeed) =>
        `| ${what} | ${[...stacks].sort().join(", ")} | ${need.actions.map((a) => `\`${a}\``).join(", ")} | ${need.scope ?? "this project's resources"} | ${link(need.source)} |`;
    return [
        "| Resource types | Stacks | Actions | On | Source |",
        "| --- | --- | --- | --- | --- |",
        row("(every stack)", Object.keys(resourcesByStack), ALWAYS),
        ...[...grants.values()].map((g) => row(g.types.map((t) => `\`${t}\``).join(", "), g.stacks, g.need)),
    ].join("\n");
}
