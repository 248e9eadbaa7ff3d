/** asl-validator ships no type declarations; this is the part of its API the twin uses. */
declare module 'asl-validator' {
  interface AslValidationError {
    readonly 'Error code': string;
    readonly Message: string;
  }
  interface AslValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly AslValidationError[];
    errorsText(separator?: string): string;
  }
  interface AslValidationOptions {
    readonly checkPaths?: boolean;
    readonly checkArn?: boolean;
  }
  /** Note: adds `QueryLanguage` to every state of the definition it is given. */
  function aslValidator(definition: unknown, options?: AslValidationOptions): AslValidationResult;
  export = aslValidator;
}
