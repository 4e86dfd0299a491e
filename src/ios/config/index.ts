/**
 * IOS call-home configuration syntax, owned once: the tokenizer and quoting rule, the renderer of
 * the running-config section, the line interpreter that reads it back (and the lab's updates), and
 * the words the push planner emits. Used by the lab (src/lab/ios-cli), the parsers (src/ios/parsers)
 * and the push planner (src/fleet/plan.ts).
 */
export { configWords, quoteIfNeeded, tokenize, type Token, type TokenizedLine, type TokenizeOptions } from './tokens.js';
export { XE_CONTACT_COMMENT, renderCallHomeSection, renderServiceLine, type RenderOptions } from './render.js';
export { CallHomeConfigBuilder, parsePeriodicWords, type ApplyOutcome, type ConfigContext } from './interpreter.js';
export { periodicWords } from '../../domain/callhome.js';
