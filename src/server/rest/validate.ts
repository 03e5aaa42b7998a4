import type { z } from 'zod';
import { ServerError } from '../server-error.js';

/**
 * Parses a request part with a zod schema. On failure the error names the first bad
 * field as a dotted snake_case path (`messages.2.content`) and the rule it broke, so
 * a client can fix its input without guessing.
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, root = ''): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [root, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  const field = path || 'body';
  throw ServerError.invalid(field, describeIssue(issue));
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'is invalid';
  switch (issue.code) {
    case 'invalid_type':
      // zod 4 leaves `input` out of issues; its message says what was received.
      return /received undefined/.test(issue.message) ? 'is required' : `must be ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must be at least ${issue.minimum} characters`
        : `must be at least ${issue.minimum}${issue.origin === 'array' ? ' items' : ''}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters`
        : `must be at most ${issue.maximum}${issue.origin === 'array' ? ' items' : ''}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'uuid') return 'must be a UUID';
      // A regex check carries the rule in its own message.
      return issue.format === 'regex' ? issue.message : `must be a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `has unknown keys ${issue.keys.join(', ')}`;
    default:
      return issue.message.toLowerCase();
  }
}
