/** Exhaustiveness check for discriminated unions: every `switch` over a union ends here. */
export function assertNever(value: never, context = 'value'): never {
  throw new Error(`Unexpected ${context}: ${JSON.stringify(value)}`);
}
