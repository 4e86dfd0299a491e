import { AbortError } from '../errors.js';

/** Handler of a subcommand whose implementation has not landed yet. */
export function notYet(name: string): () => never {
  return () => {
    throw new AbortError(`\`callhome ${name}\` is not implemented in this build yet.`);
  };
}
