/**
 * Local connections: the `CreateConnection`-shaped connection of a stack's API with local test
 * credentials, for the sandbox, the CLI and the connections file synth writes. Pure, so the offline
 * synth can use it without loading the sandbox.
 */
import { ApiSettings, NO_AUTH_HEADER, ParameterSet } from "../../deploy/stack-config/types";
import { ConnectionHttpParameters, ConnectionSpec } from "../emulator/connections";

/** Credentials the sandbox accepts; test values, never real ones. */
export const LOCAL_CREDENTIALS = {
    apiKey: "local-test-api-key",
    /** The value of an API key sent as `Authorization` (Stripe's secret key, as Stripe's SDK sends it). */
    bearer: "Bearer sk_test_local_sandbox",
    password: "local-test-password",
    clientSecret: "local-test-client-secret",
} as const;
/** The account id of every local ARN. */
export const LOCAL_ACCOUNT = "123456789012";

const pairs = (record: Readonly<Record<string, string>>) => Object.entries(record).map(([Key, Value]) => ({ Key, Value }));

function httpParameters(set: ParameterSet): ConnectionHttpParameters {
    return { HeaderParameters: pairs(set.headers), QueryStringParameters: pairs(set.queryStrings), BodyParameters: pairs(set.bodies) };
}

/** The `CreateConnection`-shaped connection for `settings`, with local credentials. */
export function localConnection(settings: ApiSettings, tokenUrl: string): ConnectionSpec {
    const InvocationHttpParameters = httpParameters(settings.invocationParameters);
    const auth = settings.auth;
    switch (auth.type) {
        case "none":
            return {
                AuthorizationType: "API_KEY",
                AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: NO_AUTH_HEADER.name, ApiKeyValue: NO_AUTH_HEADER.value }, InvocationHttpParameters },
            };
        case "basic":
            return {
                AuthorizationType: "BASIC",
                AuthParameters: { BasicAuthParameters: { Username: auth.username, Password: LOCAL_CREDENTIALS.password }, InvocationHttpParameters },
            };
        case "apiKey":
            return {
                AuthorizationType: "API_KEY",
                AuthParameters: {
                    ApiKeyAuthParameters: {
                        ApiKeyName: auth.headerName,
                        ApiKeyValue: auth.headerName.toLowerCase() === "authorization" ? LOCAL_CREDENTIALS.bearer : LOCAL_CREDENTIALS.apiKey,
                    },
                    InvocationHttpParameters,
                },
            };
        case "oauth":
            return {
                AuthorizationType: "OAUTH_CLIENT_CREDENTIALS",
                AuthParameters: {
                    OAuthParameters: {
                        AuthorizationEndpoint: tokenUrl,
                        HttpMethod: auth.httpMethod,
                        ClientParameters: { ClientID: auth.clientId, ClientSecret: LOCAL_CREDENTIALS.clientSecret },
                        OAuthHttpParameters: httpParameters(auth.tokenParameters),
                    },
                    InvocationHttpParameters,
                },
            };
    }
}
