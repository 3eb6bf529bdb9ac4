import { readFileSync } from 'node:fs';
import type { FieldError, Result } from '../../../api/src/domain/shared/result.js';

/** A fresh copy of a channel fixture each call, so a test may edit it freely. */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are raw channel JSON that tests edit by path.
export function loadFixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/channels/${name}`, import.meta.url), 'utf8'));
}

/** The parsed value; fails the test with every defect listed when there is none. */
export function parsedValue<T>(result: Result<T, FieldError[]>): T {
  if (!result.ok) throw new Error(`expected a parsed value, got:\n${JSON.stringify(result.errors, null, 2)}`);
  return result.value;
}

/** Every defect as `field code`, sorted, so a test states exactly which defects it expects. */
export function defectsOf(result: Result<unknown, FieldError[]>): string[] {
  if (result.ok) throw new Error('expected defects, but the payload parsed');
  return result.errors.map((e) => `${e.field} ${e.code}`).sort();
}
