// Mocks prove the inputs Pulumi sends; they cannot prove that EventBridge accepts them.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ApiConnection } from "../../deploy/components/api-connection";
import { isSecretValue } from "../../tools/synth/mocks";
import { mocks, useStack } from "../helpers/mocks";
import { input, only, resolve, settle } from "../helpers/pulumi";

const CONNECTION = "aws:cloudwatch/eventConnection:EventConnection";

describe("ApiConnection", () => {
    beforeEach(() => useStack("test", "eu-west-1"));

    it("declares one BASIC connection whose password is a secret, and exposes arn, name and secretArn", async () => {
        const c = new ApiConnection("inventory", { auth: { type: "basic", username: "orders", password: "fake-pass-123" } });
        const [arn, name, secretArn] = await resolve(pulumi.all([c.arn, c.name, c.secretArn]));
        await settle();
        const connection = only(CONNECTION);
        assert.equal(connection.inputs.authorizationType, "BASIC");
        assert.equal(isSecretValue(connection.inputs.authParameters), true);
        assert.deepEqual(input(connection, "authParameters"), { basic: { username: "orders", password: "fake-pass-123" } });
        assert.match(arn, /^arn:aws:events:eu-west-1:123456789012:connection\/inventory-connection-[0-9a-f]{7}\/[0-9a-f-]{36}$/);
        assert.equal(name, arn.split("/")[1]);
        assert.match(secretArn, new RegExp(`^arn:aws:secretsmanager:eu-west-1:123456789012:secret:events!connection/${name}/[0-9a-f-]{36}-[0-9a-f]{6}$`));
    });

    it("sends API-key auth with plain and secret invocation parameters flagged explicitly", async () => {
        new ApiConnection("payment", {
            auth: { type: "apiKey", headerName: "X-Api-Key", apiKey: "fake-key-456" },
            invocationParameters: {
                headers: [
                    { key: "X-Client", value: "sfn" },
                    { key: "X-Merchant-Token", value: "fake-token-789", secret: true },
                ],
                queryStrings: [{ key: "v", value: "2" }],
            },
            kmsKeyId: "alias/eventbridge-connections",
        });
        await settle();
        const connection = only(CONNECTION);
        assert.equal(connection.inputs.authorizationType, "API_KEY");
        assert.equal(connection.inputs.kmsKeyIdentifier, "alias/eventbridge-connections");
        assert.deepEqual(input(connection, "authParameters"), {
            apiKey: { key: "X-Api-Key", value: "fake-key-456" },
            invocationHttpParameters: {
                headers: [
                    { key: "X-Client", value: "sfn", isValueSecret: false },
                    { key: "X-Merchant-Token", value: "fake-token-789", isValueSecret: true },
                ],
                queryStrings: [{ key: "v", value: "2", isValueSecret: false }],
                bodies: [],
            },
        });
    });

    it("sends OAuth client credentials with token parameters and POST by default", async () => {
        new ApiConnection("shipping", {
            auth: {
                type: "oauth",
                tokenUrl: "https://auth.example.com/token",
                clientId: "orders",
                clientSecret: "fake-client-secret",
                tokenParameters: { bodies: [{ key: "scope", value: "shipments:write" }] },
            },
        });
        await settle();
        assert.deepEqual(input(only(CONNECTION), "authParameters"), {
            oauth: {
                authorizationEndpoint: "https://auth.example.com/token",
                httpMethod: "POST",
                clientParameters: { clientId: "orders", clientSecret: "fake-client-secret" },
                oauthHttpParameters: { headers: [], queryStrings: [], bodies: [{ key: "scope", value: "shipments:write", isValueSecret: false }] },
            },
        });
        assert.equal(only(CONNECTION).inputs.authorizationType, "OAUTH_CLIENT_CREDENTIALS");
    });

    it("keeps the credential out of every other recorded input and out of the name", async () => {
        new ApiConnection("payment", { auth: { type: "apiKey", headerName: "X-Api-Key", apiKey: "fake-key-456" } });
        await settle();
        const elsewhere = mocks.resources.map((r) => JSON.stringify({ ...r.inputs, authParameters: undefined, name: r.name }));
        assert.equal(
            elsewhere.some((text) => text.includes("fake-key-456")),
            false,
        );
    });
    it("reaches a private API through a resource gateway and configuration it creates, or through an existing configuration", async () => {
        const created = new ApiConnection("inv", {
            auth: { type: "apiKey", headerName: "X-Api-Key", apiKey: "fake-key" },
            private: {
                vpcId: "vpc-0abc12345678def90",
                subnetIds: ["subnet-0123456789abcdef0"],
                securityGroupIds: ["sg-0123456789abcdef0"],
                domainName: "inventory.example.com",
            },
        });
        await resolve(created.arn);
        await settle();
        const gateway = only("aws:vpclattice/resourceGateway:ResourceGateway");
        assert.deepEqual(gateway.inputs, {
            vpcId: "vpc-0abc12345678def90",
            subnetIds: ["subnet-0123456789abcdef0"],
            securityGroupIds: ["sg-0123456789abcdef0"],
            ipAddressType: "IPV4",
        });
        const resource = only("aws:vpclattice/resourceConfiguration:ResourceConfiguration");
        assert.deepEqual(resource.inputs, {
            resourceGatewayIdentifier: gateway.id,
            type: "SINGLE",
            protocol: "TCP",
            portRanges: ["443"],
            resourceConfigurationDefinition: { dnsResource: { domainName: "inventory.example.com", ipAddressType: "IPV4" } },
        });
        assert.deepEqual(only("aws:cloudwatch/eventConnection:EventConnection").inputs.invocationConnectivityParameters, {
            resourceParameters: { resourceConfigurationArn: resource.state.arn },
        });

        useStack("test", "us-east-1");
        const existing = "arn:aws:vpc-lattice:us-east-1:123456789012:resourceconfiguration/rcfg-0123456789abcdef0";
        const reused = new ApiConnection("inv", {
            auth: { type: "apiKey", headerName: "X-Api-Key", apiKey: "fake-key" },
            private: { resourceConfigurationArn: existing },
        });
        await resolve(reused.arn);
        await settle();
        assert.equal(mocks.ofType("aws:vpclattice/resourceGateway:ResourceGateway").length, 0);
        assert.deepEqual(only("aws:cloudwatch/eventConnection:EventConnection").inputs.invocationConnectivityParameters, {
            resourceParameters: { resourceConfigurationArn: existing },
        });
    });
});
