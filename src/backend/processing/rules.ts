/** Declarative analysis rules (a YAML file), matched against each stored message. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CallHomeMessage } from '../../domain/message.js';
import { isSeverityKeyword, severityLevel } from '../../domain/severity.js';
import { AbortError } from '../../errors.js';

const SeveritySchema = z.union([
  z.number().int().min(0).max(9),
  z.string().refine(isSeverityKeyword, 'must be a Call Home severity keyword').transform((k) => severityLevel(k as Parameters<typeof severityLevel>[0])),
]);

const RegexSchema = z.string().refine((r) => {
  try {
    new RegExp(r);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

const RuleSchema = z.object({
  name: z.string().min(1),
  match: z.object({
    type: z.union([z.string(), z.array(z.string())]).optional(),
    /** Regex on the sub-type (`ch:Event/ch:SubType`): `WCM` wireless syslog, `AP Crash`… (case-insensitive). */
    subtype: RegexSchema.optional(),
    event: RegexSchema.optional(),
    text: RegexSchema.optional(),
    minSeverity: SeveritySchema.optional(),
  }),
  outcome: z.enum(['case', 'recover', 'notify', 'none']),
  priority: z.number().int().min(1).max(4).default(3),
  /** Fold key of the case (default: the rule's name); `{event}` stands for the message's event name, so each mnemonic folds separately. */
  fold: z.string().optional(),
  recommendation: z.string().default(''),
});

const RulesFileSchema = z.object({ rules: z.array(RuleSchema) });

/** One rule as loaded. */
export type Rule = z.infer<typeof RuleSchema>;
export type RuleOutcome = Rule['outcome'];

/** Reads and validates a rules file; a broken file is an AbortError naming the file and the field. */
export function loadRules(file: string): Rule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AbortError(`Cannot read the rules file ${file}: ${e instanceof Error ? e.message : String(e)}`, 'Give an existing YAML file with --rules.');
  }
  const parsed = RulesFileSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AbortError(`The rules file ${file} is not valid: ${where}`, 'Fix the rule named in the path (see src/backend/rules/default-rules.yaml for the format).');
  }
  return parsed.data.rules;
}

/** The rules shipped with callhome. */
export function defaultRulesFile(): string {
  return fileURLToPath(new URL('../rules/default-rules.yaml', import.meta.url));
}

const compiled = new WeakMap<Rule, { types: readonly string[] | null; subtype: RegExp | null; event: RegExp | null; text: RegExp | null }>();

function compile(rule: Rule) {
  let c = compiled.get(rule);
  if (!c) {
    const { type, subtype, event, text } = rule.match;
    c = {
      types: type === undefined ? null : Array.isArray(type) ? type : [type],
      subtype: subtype === undefined ? null : new RegExp(subtype, 'i'),
      event: event === undefined ? null : new RegExp(event),
      text: text === undefined ? null : new RegExp(text, 'i'),
    };
    compiled.set(rule, c);
  }
  return c;
}

/** First rule matching the message, or null. */
export function matchRule(rules: readonly Rule[], m: CallHomeMessage): Rule | null {
  for (const rule of rules) {
    const c = compile(rule);
    if (c.types && !c.types.includes(m.kind)) continue;
    if (c.subtype && !c.subtype.test(m.subType)) continue;
    if (c.event && !c.event.test(m.eventName) && !c.event.test(m.subType) && !c.event.test(m.description)) continue;
    if (c.text && !c.text.test(m.description)) continue;
    if (rule.match.minSeverity !== undefined && m.severity < rule.match.minSeverity) continue;
    return rule;
  }
  return null;
}

/** The key a rule's case folds under for this message (S47): the rule's `fold` with `{event}` filled in, else its name. */
export function foldKeyOf(rule: Rule, m: Pick<CallHomeMessage, 'eventName' | 'kind'>): string {
  return (rule.fold ?? rule.name).replaceAll('{event}', m.eventName || m.kind);
}
