// Every request and command argument the server takes, as a zod schema checked at the handler before any
// use: a crafted argument is an InvalidParams error naming the field, never a half-run operation.
import { z } from 'zod';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { isValidEnvId, isValidFileId, isValidProviderAlias, providerSchema, validateExecId } from '../engine/secretRef';

/** OpenClaw refuses these as path segments (plans); we refuse them in every path and pointer we write. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

const uri = z.string().min(1).max(4096);
const allowExec = z.boolean().default(false);
const allowedCommands = z.array(z.string().max(4096)).max(1000).optional();
const alias = z.string().refine(isValidProviderAlias, 'must match /^[a-z][a-z0-9_-]{0,63}$/');

export const resolveParamsSchema = z.object({ uri, allowExec, allowedCommands });
export const execCommandsParamsSchema = z.object({ uri });
export const auditParamsSchema = z.object({ uri, allowExec, allowedCommands });
export const applyPlanParamsSchema = z.object({ uri, planUri: uri, dryRun: z.boolean().default(true), allowExec });
export const reloadParamsSchema = z.object({ uri, allowExec, allowedCommands });
export const convertAllArgsSchema = z.object({ uri, version: z.number().int() });
export const restrictPermissionsArgsSchema = z.object({ uri, filePath: z.string().min(1).max(4096) });

const secretRefArg = z
  .object({ source: z.enum(['env', 'file', 'exec']), provider: alias, id: z.string().min(1).max(1024) })
  .superRefine((ref, ctx) => {
    const ok = ref.source === 'env' ? isValidEnvId(ref.id) : ref.source === 'file' ? isValidFileId(ref.id) : validateExecId(ref.id).ok;
    if (!ok) ctx.addIssue({ code: 'custom', path: ['id'], message: `is not a valid ${ref.source} ref id` });
  });

export const convertArgsSchema = z.object({
  uri,
  version: z.number().int(),
  path: z.array(z.union([z.string().max(1024), z.number().int().nonnegative()])).min(1).max(64),
  ref: secretRefArg,
  declare: z.object({ alias, config: providerSchema }).optional(),
});

/** The checked value, or an InvalidParams ResponseError naming the first bad field (the input is not echoed). */
export function checkParams<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? issue.path.map(String).join('.') : 'arguments';
  throw new ResponseError(ErrorCodes.InvalidParams, `invalid ${what}: ${where}: ${issue.message}.`);
}
