/**
 * Reads the stack's configuration once, validates it, and returns a frozen typed object.
 *
 * Plain settings come from plain keys; every credential comes from the single `secrets` key via
 * `requireSecretObject`, so it is a Pulumi secret from the moment it is read.
 */
import * as pulumi from "@pulumi/pulumi";
import { credentialKey, parseJsonString } from "./stack-config/api-rules";
import { StackContext } from "./stack-config/stack-rules";
import { isObject } from "./asl/json";
import { PARAMETER_SECTIONS, PROJECT, StackSettings } from "./stack-config/types";
import { ConfigError, RawConfig, secretPathsOf, secretShapeOf, validateStackConfig } from "./stack-config/validate";

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

/**
 * Whether Pulumi holds config key `key` as secret. `isConfigSecret` is the SDK's own (marked
 * internal, so looked up rather than imported); without it nothing is called plaintext.
 */
function isSecretKey(key: string): boolean | undefined {
    const check = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    return typeof check === "function" ? check(key) : undefined;
}

/**
 * What validation checks beyond the project's keys: keys of other namespaces (a misspelt project
 * namespace) and, when the whole `secrets` key is not a Pulumi secret, every secret path as plain
 * text. (With one `secure:` leaf Pulumi marks the whole key secret, so a single plaintext leaf beside
 * it is caught offline, by `npm run synth` reading the stack file, not here.)
 */
function stackContext(secretPaths: ReadonlySet<string>): StackContext {
    const all = pulumi.runtime.allConfig();
    const prefix = `${PROJECT}:`;
    const other = Object.keys(all).filter((key) => !key.startsWith(prefix));
    const secretsKey = `${prefix}secrets`;
    const plain = secretPaths.size > 0 && isSecretKey(secretsKey) === false;
    return {
        otherConfig: Object.fromEntries(other.map((key) => [key, parseJsonString(all[key])])),
        secretKeys: other.filter((key) => isSecretKey(key) === true),
        plaintextSecrets: plain ? [...secretPaths] : [],
    };
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
    const secretPaths = secretPathsOf(shape);
    const settings = validateStackConfig(projectKeys(), secretPaths, new pulumi.Config("aws").get("region"), stackContext(secretPaths));
    // An example stack (placeholder ids) runs under synth, tests and `pulumi preview`; a real `pulumi up` refuses it.
    if (settings.example === true && pulumi.runtime.hasEngine() && !pulumi.runtime.isDryRun())
        throw new ConfigError([
            `\`example\` is \`true\`: stack \`${pulumi.getStack()}\` is an example (its ids may be placeholders) and is not deployed; set its real ids, then run \`pulumi config rm example\`.`,
        ]);

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
