import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { requestFieldsOf } from "../asl/endpoint";
import { HTTP_INVOKE } from "../asl/http-task";
import { connectionArnOf } from "../asl/policy";
import type { StateMachineDefinition } from "../asl/types";
import { allStates } from "../asl/walk";

/** A header, query-string or body parameter that EventBridge adds to every call. */
export interface HttpParameter {
    readonly key: string;
    readonly value: pulumi.Input<string>;
    /**
     * Keep the value in the connection's secret only (never returned by DescribeConnection).
     * AWS leaves the default unstated (docs/aws-facts.md §7.1), so it is always sent explicitly.
     * @default false
     */
    readonly secret?: boolean;
}

/** Parameters by position in the request. */
export interface HttpParameters {
    readonly headers?: readonly HttpParameter[];
    readonly queryStrings?: readonly HttpParameter[];
    readonly bodies?: readonly HttpParameter[];
}

/** How EventBridge authenticates calls. Credentials are wrapped with `pulumi.secret` on entry. */
export type ConnectionAuth =
    | { readonly type: "basic"; readonly username: pulumi.Input<string>; readonly password: pulumi.Input<string> }
    | { readonly type: "apiKey"; readonly headerName: pulumi.Input<string>; readonly apiKey: pulumi.Input<string> }
    | {
          readonly type: "oauth";
          /** The token endpoint. @example "https://auth.example.com/oauth2/token" */
          readonly tokenUrl: pulumi.Input<string>;
          /** The token request's method; EventBridge accepts only these three (docs/aws-facts.md §1.4). @default "POST" */
          readonly httpMethod?: "GET" | "POST" | "PUT";
          readonly clientId: pulumi.Input<string>;
          readonly clientSecret: pulumi.Input<string>;
          /** Extra parameters sent to the token endpoint, e.g. `scope`. */
          readonly tokenParameters?: HttpParameters;
      };

/** Arguments of `ApiConnection`. */
export interface ApiConnectionArgs {
    /** Authorization: Basic, API key or OAuth client credentials. */
    readonly auth: ConnectionAuth;
    /** Parameters added to every invocation; they win over the task's on a clash (docs/aws-facts.md §2). */
    readonly invocationParameters?: HttpParameters;
    /** Customer-managed KMS key for the connection's secret; it must carry the tag `EventBridgeApiDestinations=true` (docs/aws-facts.md §7.6). @default AWS owned key */
    readonly kmsKeyId?: pulumi.Input<string>;
    /** @default "Managed by sfn-http-workflows" */
    readonly description?: pulumi.Input<string>;
    /**
     * Reach a private API: through an existing VPC Lattice resource configuration, or through a
     * resource gateway in `subnetIds` and a resource configuration for `domainName` on port 443 that
     * this component creates. The API must still have a public DNS name and a publicly trusted
     * certificate (docs/aws-facts.md §1.3). @default over the internet
     * @example { vpcId: "vpc-0abc12345678def90", subnetIds: ["subnet-0123456789abcdef0"], domainName: "inventory.internal.example.com" }
     */
    readonly private?:
        | { readonly resourceConfigurationArn: pulumi.Input<string> }
        | {
              readonly vpcId: pulumi.Input<string>;
              readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
              readonly securityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
              readonly domainName: pulumi.Input<string>;
          };
}

/** EventBridge's authorization type names. */
export const AUTHORIZATION_TYPES = { basic: "BASIC", apiKey: "API_KEY", oauth: "OAUTH_CLIENT_CREDENTIALS" } as const;

function parameters(set: HttpParameters | undefined) {
    const list = (items: readonly HttpParameter[] | undefined) =>
        (items ?? []).map((p) => ({ key: p.key, value: p.secret ? pulumi.secret(p.value) : p.value, isValueSecret: p.secret ?? false }));
    return { headers: list(set?.headers), queryStrings: list(set?.queryStrings), bodies: list(set?.bodies) };
}

function authParameters(args: ApiConnectionArgs): aws.types.input.cloudwatch.EventConnectionAuthParameters {
    const auth = args.auth;
    const invocationHttpParameters = args.invocationParameters ? parameters(args.invocationParameters) : undefined;
    switch (auth.type) {
        case "basic":
            return { basic: { username: auth.username, password: pulumi.secret(auth.password) }, invocationHttpParameters };
        case "apiKey":
            return { apiKey: { key: auth.headerName, value: pulumi.secret(auth.apiKey) }, invocationHttpParameters };
        case "oauth":
            return {
                oauth: {
                    authorizationEndpoint: auth.tokenUrl,
                    httpMethod: auth.httpMethod ?? "POST",
                    clientParameters: { clientId: auth.clientId, clientSecret: pulumi.secret(auth.clientSecret) },
                    oauthHttpParameters: parameters(auth.tokenParameters),
                },
                invocationHttpParameters,
            };
    }
}

/**
 * An EventBridge connection for one third-party API. EventBridge keeps its credentials in a
 * Secrets Manager secret it manages (`secretArn`); HTTP Tasks name the connection by `arn`.
 */
export class ApiConnection extends pulumi.ComponentResource {
    /** The connection's ARN, for `InvocationConfig.ConnectionArn`. */
    readonly arn: pulumi.Output<string>;
    /** The connection's name. */
    readonly name: pulumi.Output<string>;
    /** ARN of the secret EventBridge manages; the execution role reads exactly this one. */
    readonly secretArn: pulumi.Output<string>;
    /** ARN of the customer-managed KMS key of the secret (`kmsKeyId` resolved), or undefined. */
    readonly kmsKeyArn: pulumi.Output<string | undefined>;

    constructor(name: string, args: ApiConnectionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sfn-http-workflows:index:ApiConnection", name, {}, opts);

        const resourceConfigurationArn = args.private ? this.privateResource(name, args.private) : undefined;
        const connection = new aws.cloudwatch.EventConnection(
            `${name}-connection`,
            {
                authorizationType: AUTHORIZATION_TYPES[args.auth.type],
                authParameters: authParameters(args),
                description: args.description ?? "Managed by sfn-http-workflows",
                kmsKeyIdentifier: args.kmsKeyId,
                ...(resourceConfigurationArn ? { invocationConnectivityParameters: { resourceParameters: { resourceConfigurationArn } } } : {}),
            },
            { parent: this },
        );

        this.arn = connection.arn;
        this.name = connection.name;
        this.secretArn = connection.secretArn;
        // An alias or key id is resolved to the key's ARN, which IAM needs.
        this.kmsKeyArn = args.kmsKeyId ? aws.kms.getKeyOutput({ keyId: args.kmsKeyId }, { parent: this }).arn : pulumi.output(undefined);
        this.registerOutputs({ arn: this.arn, name: this.name, secretArn: this.secretArn });
    }

    /** The VPC Lattice resource configuration EventBridge reaches the private API through. */
    private privateResource(name: string, reach: NonNullable<ApiConnectionArgs["private"]>): pulumi.Input<string> {
        if ("resourceConfigurationArn" in reach) return reach.resourceConfigurationArn;
        const gateway = new aws.vpclattice.ResourceGateway(
            `${name}-gateway`,
            { vpcId: reach.vpcId, subnetIds: reach.subnetIds, securityGroupIds: reach.securityGroupIds, ipAddressType: "IPV4" },
            { parent: this },
        );
        const resource = new aws.vpclattice.ResourceConfiguration(
            `${name}-resource`,
            {
                resourceGatewayIdentifier: gateway.id,
                type: "SINGLE",
                protocol: "TCP",
                portRanges: ["443"],
                resourceConfigurationDefinition: { dnsResource: { domainName: reach.domainName, ipAddressType: "IPV4" } },
            },
            { parent: this },
        );
        return resource.arn;
    }
}

/**
 * Thrown when a workflow is given a connection none of its HTTP Tasks names: its role would be
 * granted that connection's credentials for nothing (least privilege), and the wiring is wrong.
 */
export class UnusedConnectionError extends Error {
    /** The connection ARNs no task uses. */
    readonly connectionArns: readonly string[];
    constructor(workflow: string, connectionArns: readonly string[]) {
        super(
            `Workflow \`${workflow}\` is given ${connectionArns.map((a) => `\`${a}\``).join(", ")}, which no HTTP Task of its definition uses: pass only the connections of the APIs it calls.`,
        );
        this.name = "UnusedConnectionError";
        this.connectionArns = connectionArns;
    }
}

/** The connection ARNs the definition's HTTP Tasks name (Map and Parallel branches included). */
export function connectionArnsUsed(definition: StateMachineDefinition): Set<string> {
    const used = new Set<string>();
    for (const { name, state } of allStates(definition))
        if (state.Type === "Task" && state.Resource === HTTP_INVOKE) used.add(connectionArnOf(requestFieldsOf(state) ?? {}, name));
    return used;
}

/** Throws `UnusedConnectionError` when one of `connectionArns` is named by no HTTP Task of `definition`. */
export function assertConnectionsUsed(workflow: string, definition: StateMachineDefinition, connectionArns: readonly string[]): void {
    const used = connectionArnsUsed(definition);
    const unused = connectionArns.filter((arn) => !used.has(arn));
    if (unused.length > 0) throw new UnusedConnectionError(workflow, unused);
}
