// Every custom request and command in one table: its method, its command name, its argument schema and
// its handler. server.ts registers the table for `onRequest` and `workspace/executeCommand` alike.
import { ErrorCodes, ResponseError, type RequestType } from 'vscode-languageserver/node';
import type * as z from 'zod/mini';
import {
  ApplyPlanRequest,
  AuditRequest,
  ConfigureFieldsRequest,
  ConfigurePlanRequest,
  ExecCommandsRequest,
  GatewayReloadRequest,
  GatewayStatusRequest,
  ReloadRequest,
  ResolveRequest,
} from '../protocol';
import { describeError } from '../../../shared/src/errors';
import {
  applyPlan,
  audit,
  configureFields,
  configurePlan,
  execCommands,
  reload,
  resolveDryRun,
  type CommandContext,
} from './commands';
import {
  CONVERT_ALL_COMMAND,
  CONVERT_COMMAND,
  RESTRICT_PERMISSIONS_COMMAND,
  convertAllPlaintext,
  convertToSecretRef,
  restrictFilePermissions,
  type CodeActionDeps,
} from './codeActions';
import { checkParams, REQUEST_PARAMS } from './requestParams';
import { gatewayReload, gatewayStatus } from './gateway';
import { CLOUD_PLAN_COMMAND, MOVE_COMMAND, moveFieldsToBackend, planCloudMoveForEditor } from './backends';

export const SERVER_COMMANDS = {
  resolve: 'openclawSecrets.resolve',
  execCommands: 'openclawSecrets.execCommands',
  audit: 'openclawSecrets.audit',
  applyPlan: 'openclawSecrets.applyPlan',
  reload: 'openclawSecrets.reload',
  convert: CONVERT_COMMAND,
  convertAll: CONVERT_ALL_COMMAND,
  restrictFilePermissions: RESTRICT_PERMISSIONS_COMMAND,
  configureFields: 'openclawSecrets.configureFields',
  configurePlan: 'openclawSecrets.configurePlan',
  gatewayStatus: 'openclawSecrets.gatewayStatus',
  gatewayReload: 'openclawSecrets.gatewayReload',
  moveToBackend: MOVE_COMMAND,
  planCloudMove: CLOUD_PLAN_COMMAND,
} as const;

type Name = keyof typeof SERVER_COMMANDS;

export interface Handler {
  command: string;
  /** the typed request, for the operations a client calls directly (code-action commands have none) */
  method?: RequestType<never, unknown, void>;
  /** check the argument, run, and turn any failure into a ResponseError that shows nothing unsafe */
  run(arg: unknown): Promise<unknown>;
}

/** Any thrown thing as the LSP error a client sees: our message and code, or the class name only. */
export function toResponseError(err: unknown): ResponseError<{ code: string }> {
  if (err instanceof ResponseError) return err;
  const shown = describeError(err);
  return new ResponseError(ErrorCodes.InternalError, shown.message, { code: shown.code });
}

function entry<N extends Name, R>(
  name: N,
  method: RequestType<z.infer<(typeof REQUEST_PARAMS)[N]>, R, void> | undefined,
  run: (params: z.infer<(typeof REQUEST_PARAMS)[N]>) => Promise<R> | R,
): Handler {
  return {
    command: SERVER_COMMANDS[name],
    ...(method ? { method: method as unknown as RequestType<never, unknown, void> } : {}),
    async run(arg) {
      const checked = checkParams(REQUEST_PARAMS[name], arg);
      if (!checked.ok) throw new ResponseError(ErrorCodes.InvalidParams, checked.message);
      try {
        return await run(checked.params as z.infer<(typeof REQUEST_PARAMS)[N]>);
      } catch (err) {
        throw toResponseError(err);
      }
    },
  };
}

export function handlerTable(ctx: () => CommandContext, deps: () => CodeActionDeps): Record<Name, Handler> {
  return {
    resolve: entry('resolve', ResolveRequest, (p) => resolveDryRun(ctx(), { ...p, allowExec: p.allowExec === true })),
    execCommands: entry('execCommands', ExecCommandsRequest, (p) => execCommands(ctx(), p)),
    audit: entry('audit', AuditRequest, (p) => audit(ctx(), { ...p, allowExec: p.allowExec === true })),
    applyPlan: entry('applyPlan', ApplyPlanRequest, (p) =>
      applyPlan(ctx(), { ...p, dryRun: p.dryRun !== false, allowExec: p.allowExec === true }),
    ),
    reload: entry('reload', ReloadRequest, (p) => reload(ctx(), { ...p, allowExec: p.allowExec === true })),
    convert: entry('convert', undefined, (p) => convertToSecretRef(deps(), p)),
    convertAll: entry('convertAll', undefined, (p) => convertAllPlaintext(deps(), p)),
    restrictFilePermissions: entry('restrictFilePermissions', undefined, (p) => restrictFilePermissions(deps(), p)),
    configureFields: entry('configureFields', ConfigureFieldsRequest, (p) => configureFields(ctx(), p)),
    configurePlan: entry('configurePlan', ConfigurePlanRequest, (p) => configurePlan(ctx(), p)),
    gatewayStatus: entry('gatewayStatus', GatewayStatusRequest, (p) => gatewayStatus(ctx(), p)),
    gatewayReload: entry('gatewayReload', GatewayReloadRequest, (p) => gatewayReload(ctx(), p)),
    moveToBackend: entry('moveToBackend', undefined, (p) => moveFieldsToBackend(ctx(), p)),
    planCloudMove: entry('planCloudMove', undefined, (p) => planCloudMoveForEditor(ctx(), p)),
  };
}
