/** Minimal typings for `asl-validator` (the package ships none). */
declare module "asl-validator" {
    interface ValidationError {
        readonly "Error code"?: string;
        readonly Message?: string;
        readonly message?: string;
    }
    function validator(
        definition: unknown,
        options?: { checkPaths?: boolean; checkArn?: boolean },
    ): { isValid: boolean; errors: ValidationError[]; errorsText(separator?: string): string };
    export = validator;
}
