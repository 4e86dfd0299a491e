/** Types of eslint/floors-rule.js, for the tests. */
import type { Rule } from 'eslint';
export declare function layerOf(relative: string): string | undefined;
export declare const floorsRule: Rule.RuleModule;
