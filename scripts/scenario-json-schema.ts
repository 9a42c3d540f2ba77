/** The editor schema for scenario files, generated from the zod schema (input side: what a person writes). */
import { z } from 'zod';
import { scenarioSchema } from '../sim/scenario/index.js';
import { hardwareConfigSchema } from '../sim/scenario/index.js';

export function scenarioJsonSchemaText(): string {
  const schema = z.toJSONSchema(scenarioSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const doc = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://coordgap.dev/scenario.schema.json',
    title: 'coordgap scenario',
    ...schema,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** The editor schema for hardware configs (scenarios/hardware/*.yaml). */
export function hardwareJsonSchemaText(): string {
  const schema = z.toJSONSchema(hardwareConfigSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const doc = { $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://coordgap.dev/hardware.schema.json', title: 'coordgap hardware config', ...schema };
  return JSON.stringify(doc, null, 2) + '\n';
}
