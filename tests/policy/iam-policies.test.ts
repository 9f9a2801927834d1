// The IAM guardrails of the policy pack against hand-made role policies: the exact messages of what
// they stop, and what they let through. Pure: the policies are called as the pack's server calls them.
import * as assert from "node:assert/strict";
import { Resource, violations } from "../helpers/policy";

const rolePolicy = (...Statement: object[]): Resource => ({
    type: "aws:iam/rolePolicy:RolePolicy",
    name: "wf-policy",
    props: { role: "wf-role", policy: JSON.stringify({ Version: "2012-10-17", Statement }) },
});
const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:wf";
const invoke = (Condition?: object, extra: object = {}) => ({
    Sid: "Invoke",
    Effect: "Allow",
    Action: "states:InvokeHTTPEndpoint",
    Resource: MACHINE,
    ...(Condition ? { Condition } : {}),
    ...extra,
});
const SCOPE_FIX = "scope both keys with `StringEquals` or `StringLike`, as `derivePolicy` (deploy/asl/policy.ts) does.";

describe("policy http-invoke-scoped", () => {
    const table: [string, Resource, string[]][] = [
        [
            "no condition",
            rolePolicy(invoke()),
            [`Statement \`Invoke\` allows \`states:InvokeHTTPEndpoint\` without a \`states:HTTPEndpoint\` or \`states:HTTPMethod\` condition: ${SCOPE_FIX}`],
        ],
        [
            "a method condition only",
            rolePolicy(invoke({ StringEquals: { "states:HTTPMethod": "GET" } })),
            [`Statement \`Invoke\` allows \`states:InvokeHTTPEndpoint\` without a \`states:HTTPEndpoint\` condition: ${SCOPE_FIX}`],
        ],
        [
            "an endpoint under ...IfExists, which passes when the key is absent",
            rolePolicy(invoke({ StringEquals: { "states:HTTPMethod": "GET" }, StringLikeIfExists: { "states:HTTPEndpoint": "https://api.example.com/*" } })),
            [`Statement \`Invoke\` allows \`states:InvokeHTTPEndpoint\` without a \`states:HTTPEndpoint\` condition: ${SCOPE_FIX}`],
        ],
        [
            "`states:*` on a plain-http endpoint",
            rolePolicy({
                Sid: "States",
                Effect: "Allow",
                Action: ["states:*"],
                Resource: "*",
                Condition: { StringEquals: { "states:HTTPMethod": "POST", "states:HTTPEndpoint": "http://api.example.com/v1/charges" } },
            }),
            [
                "Statement `States` allows `states:InvokeHTTPEndpoint` on the non-https endpoint `http://api.example.com/v1/charges`: HTTP Tasks may only call `https://` URLs.",
            ],
        ],
        [
            "NotAction that does not exclude it, without Sid",
            rolePolicy({ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }),
            [`Statement 1 allows \`states:InvokeHTTPEndpoint\` without a \`states:HTTPEndpoint\` or \`states:HTTPMethod\` condition: ${SCOPE_FIX}`],
        ],
        [
            "a host left open (`https://api.example.com*` also matches `https://api.example.com.evil.tld`)",
            {
                type: "aws:iam/role:Role",
                name: "wf-role",
                props: {
                    inlinePolicies: [
                        {
                            name: "invoke",
                            policy: JSON.stringify({
                                Statement: [
                                    invoke({ StringEquals: { "states:HTTPMethod": "GET" }, StringLike: { "states:HTTPEndpoint": "https://api.example.com*" } }),
                                ],
                            }),
                        },
                    ],
                },
            },
            [
                "Inline policy `invoke`: Statement `Invoke` allows `states:InvokeHTTPEndpoint` on `https://api.example.com*`, whose host is not literal: name the host and close it with `/` before any `*` (e.g. `https://api.example.com/v1/*`).",
            ],
        ],
        [
            "scoped as derivePolicy scopes it",
            rolePolicy(
                invoke({ StringEquals: { "states:HTTPMethod": ["GET", "POST"] }, StringLike: { "states:HTTPEndpoint": "https://api.example.com/v1/*" } }),
            ),
            [],
        ],
        [
            "lower-case condition keys (IAM keys are case-insensitive)",
            rolePolicy(invoke({ StringEquals: { "states:httpmethod": "GET", "states:httpendpoint": "https://api.example.com/v1/x" } })),
            [],
        ],
        [
            "an action spelled in another case (IAM action names are case-insensitive)",
            rolePolicy({ Sid: "Invoke", Effect: "Allow", Action: "States:InvokeHttpEndpoint", Resource: MACHINE }),
            [`Statement \`Invoke\` allows \`states:InvokeHTTPEndpoint\` without a \`states:HTTPEndpoint\` or \`states:HTTPMethod\` condition: ${SCOPE_FIX}`],
        ],
        ["a Deny", rolePolicy({ Effect: "Deny", Action: "states:InvokeHTTPEndpoint", Resource: "*" }), []],
        [
            "a managed policy given as an object",
            { type: "aws:iam/policy:Policy", name: "p", props: { policy: { Statement: { Effect: "Allow", Action: "states:Invoke*", Resource: "*" } } } },
            [`Statement 1 allows \`states:InvokeHTTPEndpoint\` without a \`states:HTTPEndpoint\` or \`states:HTTPMethod\` condition: ${SCOPE_FIX}`],
        ],
        ["another resource type", { type: "aws:sns/topic:Topic", name: "t", props: { policy: JSON.stringify({ Statement: [invoke()] }) } }, []],
    ];
    for (const [title, resource, expected] of table) it(title, () => assert.deepEqual(violations("http-invoke-scoped", resource), expected));
});

describe("policy credential-reads-scoped", () => {
    const SECRET_FIX = "list each secret's exact ARN instead (for a connection, its `secretArn` output).";
    const CONNECTION_FIX = "list each connection's exact ARN instead (its `arn` output).";
    const table: [string, Resource, string[]][] = [
        [
            "AWS's documented example pattern, still a wildcard",
            rolePolicy({
                Sid: "Secrets",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resource: "arn:aws:secretsmanager:*:*:secret:events!connection/*",
            }),
            [
                `Statement \`Secrets\` lets the role read Secrets Manager secrets (\`secretsmanager:GetSecretValue\`, \`secretsmanager:DescribeSecret\`) on \`arn:aws:secretsmanager:*:*:secret:events!connection/*\`: ${SECRET_FIX}`,
            ],
        ],
        [
            "`secretsmanager:Get*` on `*`",
            rolePolicy({ Effect: "Allow", Action: "secretsmanager:Get*", Resource: ["*"] }),
            [`Statement 1 lets the role read Secrets Manager secrets (\`secretsmanager:GetSecretValue\`) on \`*\`: ${SECRET_FIX}`],
        ],
        [
            "connection credentials on every connection",
            rolePolicy({
                Sid: "Creds",
                Effect: "Allow",
                Action: "events:RetrieveConnectionCredentials",
                Resource: "arn:aws:events:eu-west-1:123456789012:connection/*",
            }),
            [
                `Statement \`Creds\` lets the role retrieve connection credentials (\`events:RetrieveConnectionCredentials\`) on \`arn:aws:events:eu-west-1:123456789012:connection/*\`: ${CONNECTION_FIX}`,
            ],
        ],
        [
            "`*` through NotResource",
            rolePolicy({ Sid: "All", Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::x" }),
            [
                `Statement \`All\` lets the role read Secrets Manager secrets (\`secretsmanager:GetSecretValue\`, \`secretsmanager:DescribeSecret\`) on everything outside \`NotResource\`: ${SECRET_FIX}`,
                `Statement \`All\` lets the role retrieve connection credentials (\`events:RetrieveConnectionCredentials\`) on everything outside \`NotResource\`: ${CONNECTION_FIX}`,
            ],
        ],
        [
            "exact ARNs, as derivePolicy writes them",
            rolePolicy(
                {
                    Effect: "Allow",
                    Action: ["events:RetrieveConnectionCredentials"],
                    Resource: ["arn:aws:events:eu-west-1:123456789012:connection/payment/0b1c"],
                },
                {
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue"],
                    Resource: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:events!connection/payment/9f2e-AbCdEf"],
                },
            ),
            [],
        ],
        ["log delivery on `*` (not a credential read)", rolePolicy({ Effect: "Allow", Action: ["logs:CreateLogDelivery"], Resource: ["*"] }), []],
    ];
    for (const [title, resource, expected] of table) it(title, () => assert.deepEqual(violations("credential-reads-scoped", resource), expected));
});

describe("policy data-access-scoped", () => {
    const S3_FIX = "name the bucket and the key prefix, as `derivePolicy` (deploy/asl/data-policy.ts) does.";
    const SFN_FIX = "name the state machine (and its Map Run label), as `derivePolicy` (deploy/asl/data-policy.ts) does.";
    const table: [string, Resource, string[]][] = [
        [
            "pages on a whole bucket",
            rolePolicy({ Sid: "Pages", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::pages/*" }),
            [`Statement \`Pages\` allows \`s3:PutObject\` on \`arn:aws:s3:::pages/*\` (every object of the bucket): ${S3_FIX}`],
        ],
        [
            "`s3:*` on every bucket",
            rolePolicy({ Effect: "Allow", Action: "s3:*", Resource: "*" }),
            [`Statement 1 allows \`s3:GetObject\`, \`s3:PutObject\`, \`s3:DeleteObject\` on \`*\` (a wildcard): ${S3_FIX}`],
        ],
        [
            "a wildcard bucket",
            rolePolicy({ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::collect-*/inputs/devices.json"] }),
            [`Statement 1 allows \`s3:GetObject\` on \`arn:aws:s3:::collect-*/inputs/devices.json\` (a wildcard bucket): ${S3_FIX}`],
        ],
        [
            "children of every state machine",
            rolePolicy({
                Sid: "Children",
                Effect: "Allow",
                Action: ["states:StartExecution", "states:DescribeExecution"],
                Resource: "arn:aws:states:eu-west-1:123456789012:stateMachine:*",
            }),
            [
                `Statement \`Children\` allows \`states:StartExecution\`, \`states:DescribeExecution\` on \`arn:aws:states:eu-west-1:123456789012:stateMachine:*\` (a wildcard state machine): ${SFN_FIX}`,
            ],
        ],
        [
            "what derivePolicy writes: source prefixes, one item list, its own Map Run children",
            rolePolicy(
                {
                    Effect: "Allow",
                    Action: ["s3:PutObject"],
                    Resource: ["arn:aws:s3:::pages/devices/*/*/*/*/*.json", "arn:aws:s3:::pages/readings/*/*/*/*/*.*.json"],
                },
                { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::pages/inputs/devices.json"] },
                { Effect: "Allow", Action: ["states:StartExecution"], Resource: [MACHINE] },
                {
                    Effect: "Allow",
                    Action: ["states:DescribeExecution", "states:RedriveExecution", "states:StopExecution"],
                    Resource: ["arn:aws:states:eu-west-1:123456789012:execution:wf/readings:*"],
                },
            ),
            [],
        ],
    ];
    for (const [title, resource, expected] of table) it(title, () => assert.deepEqual(violations("data-access-scoped", resource), expected));
});
