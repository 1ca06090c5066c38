/** Types of the layering rule (floors.js), for the rule's own test. */
import type { Rule } from 'eslint';

declare const plugin: { rules: { 'no-climb': Rule.RuleModule } };
export default plugin;
