/** A social-media API the scheduled collection reads (posts and mentions, rate limited). */
import { AUTH_TYPES } from "../../stack-config/types";
import type { ApiSpec } from "../spec";

/** The `social` API. */
export const socialApi = {
    name: "social",
    description: "a social-media API (a collection source)",
    authTypes: AUTH_TYPES,
    contract: "deploy/apis/social/openapi.yaml",
} as const satisfies ApiSpec;
