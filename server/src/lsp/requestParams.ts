// The schema of every custom request's and command's argument, checked once where the handler table
// dispatches (both `onRequest` and `workspace/executeCommand`), so no handler sees unchecked input.
import { z } from 'zod';
import { providerSchema, schemaProblems, secretRefSchema } from '../engine/refs/secretRef';
import { formatConfigPath } from '../engine/targets/targetRegistry';
import { recipeById } from '../engine/backends/wrappers';

const uri = z.string().min(1);
const consent = { allowExec: z.boolean().optional(), allowedCommands: z.array(z.string()).optional() };
const pathSegments = z.array(z.union([z.string(), z.number().int().nonnegative()])).min(1);

// A cloud backend's options (region, vaultName, ...), as the client asked the person for them: each must be
// one of the recipe's options and match its pattern; other backends take none.
const moveParams = z
  .object({
    uri,
    version: z.number().int(),
    paths: z.array(pathSegments).min(1),
    backendId: z.string().min(1),
    names: z.array(z.string()).optional(),
    options: z.record(z.string(), z.string().max(256)).optional(),
  })
  .superRefine((p, ctx) => {
    const recipe = recipeById(p.backendId);
    for (const [key, value] of Object.entries(p.options ?? {})) {
      const option = recipe?.kind === 'cloud' ? recipe.options.find((o) => o.key === key) : undefined;
      if (!option)
        ctx.addIssue({ code: 'custom', path: ['options', key], message: `${p.backendId} takes no option "${key}"` });
      else if (!new RegExp(option.pattern).test(value))
        ctx.addIssue({
          code: 'custom',
          path: ['options', key],
          message: `option "${key}" (${option.label}) must match ${option.pattern}`,
        });
    }
  });

export const REQUEST_PARAMS = {
  resolve: z.object({ uri, ...consent }),
  execCommands: z.object({ uri, planUri: uri.optional() }),
  audit: z.object({ uri, ...consent }),
  applyPlan: z.object({
    uri,
    planUri: uri,
    dryRun: z.boolean().optional(),
    allowExec: z.boolean().optional(),
    force: z.boolean().optional(),
  }),
  reload: z.object({ uri, ...consent }),
  convert: z.object({
    uri,
    version: z.number().int(),
    path: pathSegments,
    ref: secretRefSchema,
    declare: z.object({ alias: z.string(), config: providerSchema }).optional(),
  }),
  convertAll: z.object({ uri, version: z.number().int() }),
  restrictFilePermissions: z.object({ uri, filePath: z.string().min(1) }),
  configureFields: z.object({ uri }),
  configurePlan: z.object({
    uri,
    planUri: uri,
    providers: z.record(z.string(), providerSchema),
    mappings: z.array(z.object({ path: z.string().min(1), ref: secretRefSchema })),
  }),
  gatewayStatus: z.object({ uri }),
  gatewayReload: z.object({ uri }),
  moveToBackend: moveParams,
  planCloudMove: moveParams,
} as const;

/** The argument as its schema types it, or the schema's first problem (a path and a message, never input text). */
export function checkParams<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { ok: true; params: z.infer<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return { ok: true, params: parsed.data };
  const problem = schemaProblems(parsed.error)[0];
  return {
    ok: false,
    message: `invalid parameters: ${problem.path.length ? `${formatConfigPath(problem.path)}: ` : ''}${problem.message}`,
  };
}
