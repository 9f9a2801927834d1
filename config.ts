/**
 * Reads the stack's configuration once, validates it, and returns a frozen typed object.
 *
 * Plain settings come from plain keys; every credential comes from the single `secrets` key via
 * `requireSecretObject`, so it is a Pulumi secret from the moment it is read.
 */
import * as pulumi from "@pulumi/pulumi";
import { credentialKey } from "./stack-config/api-rules";
import { isObject } from "./asl/json";
import { PARAMETER_SECTIONS, PROJECT, StackSettings } from "./stack-config/types";
import { RawConfig, secretPathsOf, secretShapeOf, validateStackConfig } from "./stack-config/validate";

export { ConfigError } from "./stack-config/validate";

/** Secret values by name in each parameter section. */
export type SecretParameters = Readonly<Record<(typeof PARAMETER_SECTIONS)[number], Readonly<Record<string, pulumi.Output<string>>>>>;

/** The secrets of one API, each a Pulumi secret output. */
export interface ApiSecretOutputs {
    /** The password, API key or client secret, as the API's auth type needs (none for `none`). */
    readonly credential?: pulumi.Output<string>;
    readonly invocationParameters: SecretParameters;
    readonly tokenParameters: SecretParameters;
}

/** The program's configuration: validated plain settings plus secret outputs per API. */
export interface ProgramConfig {
    readonly settings: StackSettings;
    /** The secrets of every API the enabled workflows call, by API name. */
    readonly secrets: Readonly<Record<string, ApiSecretOutputs>>;
}

function secretAt(all: pulumi.Output<Record<string, unknown>>, keys: readonly string[]): pulumi.Output<string> {
    return all.apply((root) => String(keys.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root)));
}

/** Secret outputs for the parameter names that `shape` (the secrets' keys, no values) holds. */
function secretParameters(all: pulumi.Output<Record<string, unknown>>, shape: unknown, at: readonly string[]): SecretParameters {
    const node = at.reduce<unknown>((n, key) => (isObject(n) ? n[key] : undefined), shape);
    return Object.fromEntries(
        PARAMETER_SECTIONS.map((section) => {
            const names = isObject(node) && isObject(node[section]) ? Object.keys(node[section]) : [];
            return [section, Object.fromEntries(names.map((name) => [name, secretAt(all, [...at, section, name])]))];
        }),
    ) as unknown as SecretParameters;
}

/** Every key of the project's namespace, without it (unknown ones too: they are errors). */
function projectKeys(): RawConfig {
    const prefix = `${PROJECT}:`;
    return Object.fromEntries(
        Object.entries(pulumi.runtime.allConfig())
            .filter(([key]) => key.startsWith(prefix) && key !== `${prefix}secrets`)
            .map(([key, value]) => [key.slice(prefix.length), value]),
    );
}

/**
 * Loads and validates the current stack's config. Throws `ConfigError` (one line per problem)
 * before the caller declares any resource.
 */
export function loadConfig(config: pulumi.Config = new pulumi.Config(PROJECT)): ProgramConfig {
    // Config must fail before any resource exists, and Pulumi has no synchronous secret read:
    // so only the *paths* set under `secrets` are taken here (values dropped at once); the values
    // themselves flow through `requireSecretObject` below and never leave a secret Output.
    const shape = secretShapeOf(config.getObject<unknown>("secrets"));
    const settings = validateStackConfig(projectKeys(), secretPathsOf(shape), new pulumi.Config("aws").get("region"));

    const all = config.requireSecretObject<Record<string, unknown>>("secrets");
    const secrets = Object.fromEntries(
        Object.entries(settings.apis).map(([api, apiSettings]) => {
            const credential = credentialKey(apiSettings.auth);
            return [
                api,
                {
                    credential: credential === undefined ? undefined : secretAt(all, [api, credential]),
                    invocationParameters: secretParameters(all, shape, [api, "invocationParameters"]),
                    tokenParameters: secretParameters(all, shape, [api, "tokenParameters"]),
                },
            ];
        }),
    );
    return Object.freeze({ settings, secrets: Object.freeze(secrets) });
}
