// JSON Schema for openclaw.json's `secrets` block and SecretRef-capable fields, generated from the zod
// schemas so the editor's JSON validation and our engine can never disagree.
import * as z from 'zod/mini';
import { secretInputSchema, secretsConfigSchema } from './secretRefSchemas';

export const SCHEMA_ID = 'https://openclaw-secrets.invalid/schemas/openclaw-secrets.schema.json';

/** Credential fields that take a string or a SecretRef, as nested objects with `additionalProperties`. */
function credentialFieldsSchema() {
  const input = secretInputSchema.check(
    z.meta({
      description: 'A credential: plaintext (flagged by OpenClaw Secrets) or a SecretRef { source, provider, id }.',
    }),
  );
  // Every level is optional: the schema only types credential fields where they appear.
  const loose = (shape: Record<string, z.ZodMiniType>) =>
    z.looseObject(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, z.optional(v)])));
  const obj = (shape: Record<string, z.ZodMiniType>) => z.optional(loose(shape));
  const keyed = (shape: Record<string, z.ZodMiniType>) => z.optional(z.record(z.string(), loose(shape)));
  return loose({
    secrets: secretsConfigSchema.check(
      z.meta({
        description: 'Secret providers (env, file, exec) and default aliases, as OpenClaw 2026.9.6 accepts them.',
      }),
    ),
    models: obj({ providers: keyed({ apiKey: input }) }),
    skills: obj({ entries: keyed({ apiKey: input }) }),
    gateway: obj({ auth: obj({ token: input, password: input }), remote: obj({ token: input, password: input }) }),
    talk: obj({ providers: keyed({ apiKey: input }) }),
    cron: obj({ webhookToken: input }),
  });
}

export function buildOpenClawSecretsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(credentialFieldsSchema(), {
    target: 'draft-7',
    unrepresentable: 'any',
    io: 'input',
  }) as Record<string, unknown>;
  return { $id: SCHEMA_ID, title: 'openclaw.json (secrets)', ...schema };
}

export function renderOpenClawSecretsJsonSchema(): string {
  return JSON.stringify(buildOpenClawSecretsJsonSchema(), null, 2) + '\n';
}
