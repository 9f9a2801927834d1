/**
 * Turns one API's validated settings and secret outputs into `ApiConnection` arguments.
 * Plain parameters stay plain; every value from `secrets` is marked `secret: true`.
 */
import type { ApiSecretOutputs, SecretParameters } from "../config";
import type { ApiConnectionArgs, HttpParameters } from "../components/api-connection";
import { ApiSettings, NO_AUTH_HEADER, ParameterSet, PARAMETER_SECTIONS } from "./types";

function mergeParameters(plain: ParameterSet, secret: SecretParameters): HttpParameters {
    return Object.fromEntries(
        PARAMETER_SECTIONS.map((section) => [
            section,
            [
                ...Object.entries(plain[section]).map(([key, value]) => ({ key, value, secret: false })),
                ...Object.entries(secret[section]).map(([key, value]) => ({ key, value, secret: true })),
            ],
        ]),
    ) as HttpParameters;
}

/** `ApiConnection` arguments for an API of the stack config. */
export function connectionArgs(settings: ApiSettings, secrets: ApiSecretOutputs): ApiConnectionArgs {
    const auth = settings.auth;
    const invocationParameters = mergeParameters(settings.invocationParameters, secrets.invocationParameters);
    const reach = settings.private;
    const kms = {
        ...(settings.kmsKeyId ? { kmsKeyId: settings.kmsKeyId } : {}),
        ...(reach
            ? {
                  private:
                      "resourceConfigurationArn" in reach
                          ? reach
                          : {
                                vpcId: reach.vpcId,
                                subnetIds: [...reach.subnetIds],
                                securityGroupIds: [...reach.securityGroupIds],
                                domainName: new URL(settings.baseUrl).hostname,
                            },
              }
            : {}),
    };
    // Validation guarantees a credential for every auth type but `none`.
    const credential = secrets.credential!;
    switch (auth.type) {
        case "none":
            return { auth: { type: "apiKey", headerName: NO_AUTH_HEADER.name, apiKey: NO_AUTH_HEADER.value }, invocationParameters, ...kms };
        case "basic":
            return { auth: { type: "basic", username: auth.username, password: credential }, invocationParameters, ...kms };
        case "apiKey":
            return { auth: { type: "apiKey", headerName: auth.headerName, apiKey: credential }, invocationParameters, ...kms };
        case "oauth":
            return {
                auth: {
                    type: "oauth",
                    tokenUrl: auth.tokenUrl,
                    httpMethod: auth.httpMethod,
                    clientId: auth.clientId,
                    clientSecret: credential,
                    tokenParameters: mergeParameters(auth.tokenParameters, secrets.tokenParameters),
                },
                invocationParameters,
                ...kms,
            };
    }
}
